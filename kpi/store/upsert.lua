-- Apply one version of one record atomically: remove the old contribution, add the new one.
--
-- KEYS[1] record hash   KEYS[2] agents hash   KEYS[3] data version counter   KEYS[4] the record's dependents
-- KEYS[5] per-part data versions (hash: metric -> n, '~agents' -> n)
-- (all share one hash tag; board keys are built from ARGV[1], other records' keys from ARGV[14..15])
-- ARGV[1] board key prefix   ARGV[2] version   ARGV[3] content hash   ARGV[4] '1' if deleted
-- ARGV[5] encoded contribution ('' for none)   ARGV[6] event JSON
-- ARGV[7] agent id   ARGV[8] agent name or ''   ARGV[9] team or ''   ARGV[10] seen (occurred_at version)
-- ARGV[11] linked record key ('' for none)   ARGV[12] linked metric lines   ARGV[13] '1' if linkable
-- ARGV[14] record key prefix   ARGV[15] dependents key prefix   ARGV[16] 'rescore' to re-derive in place
--
-- A contribution is "agent<TAB>team<TAB>bucket,bucket,...", then one line per metric:
-- "metric<TAB>aggregation<TAB>count<TAB>total<TAB>promoters<TAB>detractors".
-- A team of "\31" (unit separator) means "the agent's last known team", resolved here, inside the
-- transaction, so that concurrent writers cannot credit a stale team.
--
-- Links: a record may give metric lines (points) to another record of its source (a rating to its
-- ticket). They are applied under the target's head (agent, team, buckets) while the target is live and
-- linkable; the applied text is kept in the record's 'a' field, and the target's dependents set lists the
-- record, so that any change of the target re-applies them. Record hash fields: v version, h content
-- hash, d deleted, c contribution, e event JSON, l linked record key, x linked lines, a applied link
-- contribution, q '1' if linkable.
--
-- Versions: an older version is stale; the same version with the same content is a duplicate; the same
-- version with other content is decided by the greater content hash, so that arrival order never matters;
-- a newer version with the same content only advances the stored version.
-- Rescore re-derives a stored record with today's rules: version, hash and event stay, and the team
-- credited stays the one first resolved; ARGV[3] is then the hash the record was read with, and a record
-- changed since (a correction arrived mid-rescore) is left alone ('stale').

local prefix = ARGV[1]

-- Per-part data versions: every metric whose boards this run moved (and '~agents' when the agents hash
-- changed) gets one HINCRBY in KEYS[5] next to the INCR of the data version, so that a cached view of
-- other metrics stays valid (dashboard/services/kiosk/view_cache.py).
local bumped = {}
local function bump_versions()
  for part in pairs(bumped) do redis.call('HINCRBY', KEYS[5], part, 1) end
end

local function split(text, sep)
  local out = {}
  for piece in string.gmatch(text .. sep, '(.-)' .. sep) do out[#out + 1] = piece end
  return out
end

-- Counts and sums are ranked by their own counter (n, s); means and NPS keep a ranking set (r).
local function apply_cell(board, member, agg, sign, n, s, p, d)
  local count = tonumber(redis.call('ZINCRBY', board .. ':n', sign * n, member))
  local ranked = agg == 'mean' or agg == 'nps'
  if count <= 0 then
    redis.call('ZREM', board .. ':n', member)
    if ranked then redis.call('ZREM', board .. ':r', member) end
    if agg ~= 'count' then redis.call('ZREM', board .. ':s', member) end
    if agg == 'nps' then
      redis.call('ZREM', board .. ':p', member)
      redis.call('ZREM', board .. ':d', member)
    end
    return
  end
  if agg == 'sum' then
    redis.call('ZINCRBY', board .. ':s', sign * s, member)
  elseif agg == 'mean' then
    local total = tonumber(redis.call('ZINCRBY', board .. ':s', sign * s, member))
    redis.call('ZADD', board .. ':r', string.format('%.17g', total / count / 1000), member)
  elseif agg == 'nps' then
    local pro = tonumber(redis.call('ZINCRBY', board .. ':p', sign * p, member))
    local det = tonumber(redis.call('ZINCRBY', board .. ':d', sign * d, member))
    redis.call('ZADD', board .. ':r', string.format('%.17g', (pro - det) * 100 / count), member)
  end
end

-- A 'tally' line is a points rule part's share: counted per team in the day's rule tallies (a hash,
-- '<team>\t<part>\tn' and '\ts'; kpi/store/keys.py rule_tally), so the rules page reads, not recomputes.
local function tally(day, team, part, sign, n, s)
  local key, field = prefix .. '~tally:' .. day, team .. '\t' .. part
  if redis.call('HINCRBY', key, field .. '\tn', string.format('%d', sign * n)) <= 0 then
    redis.call('HDEL', key, field .. '\tn', field .. '\ts')
  else
    redis.call('HINCRBY', key, field .. '\ts', string.format('%d', sign * s))
  end
end

local function apply(encoded, sign)
  if not encoded or encoded == '' then return end
  local lines = split(encoded, '\n')
  local head = split(lines[1], '\t')
  local agent, team, buckets = head[1], head[2], split(head[3], ',')
  for i = 2, #lines do
    local f = split(lines[i], '\t')
    local metric, agg = f[1], f[2]
    local n, s, p, d = tonumber(f[3]), tonumber(f[4]), tonumber(f[5]), tonumber(f[6])
    if agg == 'tally' then tally(buckets[1], team, metric, sign, n, s) else bumped[metric] = true end
    for _, bucket in ipairs(agg ~= 'tally' and buckets or {}) do
      local base = prefix .. metric .. ':' .. bucket
      apply_cell(base .. ':agent', agent, agg, sign, n, s, p, d)
      if team ~= '' then apply_cell(base .. ':team', team, agg, sign, n, s, p, d) end
    end
  end
end

-- Move the figures from one contribution to another. With the same head (agent, team, buckets), only
-- the metric lines that differ are applied: a rescore that changes the points leaves the other boards be.
local function replace(old_c, new_c)
  if not old_c or old_c == '' or new_c == '' then
    apply(old_c, -1)
    apply(new_c, 1)
    return
  end
  local old_lines, new_lines = split(old_c, '\n'), split(new_c, '\n')
  if old_lines[1] ~= new_lines[1] then
    apply(old_c, -1)
    apply(new_c, 1)
    return
  end
  local kept = {}
  for i = 2, #new_lines do kept[new_lines[i]] = true end
  local gone, came = {old_lines[1]}, {new_lines[1]}
  local had = {}
  for i = 2, #old_lines do
    had[old_lines[i]] = true
    if not kept[old_lines[i]] then gone[#gone + 1] = old_lines[i] end
  end
  for i = 2, #new_lines do
    if not had[new_lines[i]] then came[#came + 1] = new_lines[i] end
  end
  if #gone > 1 then apply(table.concat(gone, '\n'), -1) end
  if #came > 1 then apply(table.concat(came, '\n'), 1) end
end

local function remember_agent()
  if ARGV[8] == '' and ARGV[9] == '' then return end
  local current = redis.call('HGET', KEYS[2], ARGV[7])
  local seen, name, team = ARGV[10], ARGV[8], ARGV[9]
  if current then
    local old = split(current, '\t')
    if old[1] > seen then
      seen, name, team = old[1], old[2], old[3]
      if name == '' then name = ARGV[8] end
      if team == '' then team = ARGV[9] end
    else
      if name == '' then name = old[2] end
      if team == '' then team = old[3] end
    end
  end
  redis.call('HSET', KEYS[2], ARGV[7], seen .. '\t' .. name .. '\t' .. team)
  if not current or string.sub(current, #split(current, '\t')[1] + 2) ~= name .. '\t' .. team then
    bumped['~agents'] = true
  end
end

local function head_of(encoded)
  if not encoded or encoded == '' then return '' end
  local cut = string.find(encoded, '\n', 1, true)
  if cut then return string.sub(encoded, 1, cut - 1) end
  return encoded
end

local function with_team(encoded, team)
  local head = split(head_of(encoded), '\t')
  return head[1] .. '\t' .. team .. '\t' .. head[3] .. string.sub(encoded, #head_of(encoded) + 1)
end

local function known_team()
  local known = redis.call('HGET', KEYS[2], ARGV[7])
  if known then return split(known, '\t')[3] or '' end
  return ''
end

local function deps_of(record_key)
  return ARGV[15] .. string.sub(record_key, #ARGV[14] + 1)
end

local function linked(target, lines)
  if target == '' or lines == '' then return '' end
  local t = redis.call('HMGET', target, 'c', 'd', 'q')
  if not t[1] or t[1] == '' or t[2] == '1' or t[3] ~= '1' then return '' end
  return head_of(t[1]) .. '\n' .. lines
end

local function relink(old_l, new_l)
  if old_l and old_l ~= '' and old_l ~= new_l then redis.call('SREM', deps_of(old_l), KEYS[1]) end
  if new_l ~= '' then redis.call('SADD', deps_of(new_l), KEYS[1]) end
end

local function refresh_dependents()
  for _, dep in ipairs(redis.call('SMEMBERS', KEYS[4])) do
    local f = redis.call('HMGET', dep, 'l', 'x', 'a', 'd')
    if f[1] ~= KEYS[1] then
      redis.call('SREM', KEYS[4], dep)
    else
      local now = ''
      if f[4] ~= '1' then now = linked(KEYS[1], f[2] or '') end
      if now ~= (f[3] or '') then
        apply(f[3], -1)
        apply(now, 1)
        redis.call('HSET', dep, 'a', now)
      end
    end
  end
end

local old = redis.call('HMGET', KEYS[1], 'v', 'h', 'c', 'd', 'l', 'x', 'a', 'q')
local old_v, old_h, old_c, old_d = old[1], old[2], old[3] or '', old[4]
local old_l, old_x, old_a, old_q = old[5] or '', old[6] or '', old[7] or '', old[8] or '0'
local rescore = ARGV[16] == 'rescore'
if rescore then
  if not old_v or ARGV[3] ~= old_h then return 'stale' end
  if old_d == '1' then return 'unchanged' end
elseif old_v then
  if ARGV[2] < old_v then return 'stale' end
  if ARGV[2] == old_v then
    if ARGV[3] == old_h then return 'unchanged' end
    if ARGV[3] < old_h then return 'stale' end
  elseif ARGV[3] == old_h then
    redis.call('HSET', KEYS[1], 'v', ARGV[2])
    return 'unchanged'
  end
end

local deleted = ARGV[4] == '1'
local was_live = old_v and old_d ~= '1'
local new_c, new_l, new_x, new_q = '', '', '', '0'
if not deleted then
  new_c, new_l, new_x, new_q = ARGV[5], ARGV[11], ARGV[12], ARGV[13]
  if new_c ~= '' and split(head_of(new_c), '\t')[2] == '\31' then
    if rescore and old_c ~= '' then
      new_c = with_team(new_c, split(head_of(old_c), '\t')[2])
    else
      new_c = with_team(new_c, known_team())
    end
  end
end
local new_a = linked(new_l, new_x)
if rescore and new_c == old_c and new_a == old_a and new_l == old_l and new_x == old_x and new_q == old_q then
  return 'unchanged'
end
replace(old_c, new_c)
replace(old_a, new_a)
relink(old_l, new_l)
if rescore then
  redis.call('HSET', KEYS[1], 'c', new_c, 'l', new_l, 'x', new_x, 'a', new_a, 'q', new_q)
else
  redis.call('HSET', KEYS[1], 'v', ARGV[2], 'h', ARGV[3], 'd', ARGV[4], 'c', new_c, 'e', ARGV[6],
    'l', new_l, 'x', new_x, 'a', new_a, 'q', new_q)
end
if head_of(old_c) ~= head_of(new_c) or old_q ~= new_q then refresh_dependents() end

if rescore then
  bump_versions()
  redis.call('INCR', KEYS[3])
  return 'updated'
end
if deleted then
  if was_live then
    bump_versions()
    redis.call('INCR', KEYS[3])
    return 'retracted'
  end
  return 'unchanged'
end
remember_agent()
bump_versions()
redis.call('INCR', KEYS[3])
if was_live then return 'updated' end
return 'new'
