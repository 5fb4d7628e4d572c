-- Apply one version of one record atomically: remove the old contribution, add the new one.
--
-- KEYS[1] record hash   KEYS[2] agents hash   KEYS[3] data version counter
-- (all share one hash tag; board keys are built from ARGV[1] and share it too)
-- ARGV[1] board key prefix   ARGV[2] version   ARGV[3] content hash   ARGV[4] '1' if deleted
-- ARGV[5] encoded contribution ('' for none)   ARGV[6] event JSON
-- ARGV[7] agent id   ARGV[8] agent name or ''   ARGV[9] team or ''   ARGV[10] seen (occurred_at version)
--
-- A contribution is "agent<TAB>team<TAB>bucket,bucket,...", then one line per metric:
-- "metric<TAB>aggregation<TAB>count<TAB>total<TAB>promoters<TAB>detractors".
-- A team of "\31" (unit separator) means "the agent's last known team", resolved here, inside the
-- transaction, so that concurrent writers cannot credit a stale team.
--
-- Versions: an older version is stale; the same version with the same content is a duplicate; the same
-- version with other content is decided by the greater content hash, so that arrival order never matters;
-- a newer version with the same content only advances the stored version.

local prefix = ARGV[1]

local function split(text, sep)
  local out = {}
  for piece in string.gmatch(text .. sep, '(.-)' .. sep) do out[#out + 1] = piece end
  return out
end

local function apply_cell(board, member, agg, sign, n, s, p, d)
  local count = tonumber(redis.call('ZINCRBY', board .. ':n', sign * n, member))
  if count <= 0 then
    redis.call('ZREM', board .. ':n', member)
    redis.call('ZREM', board .. ':r', member)
    if agg ~= 'count' then redis.call('ZREM', board .. ':s', member) end
    if agg == 'nps' then
      redis.call('ZREM', board .. ':p', member)
      redis.call('ZREM', board .. ':d', member)
    end
    return
  end
  local score = count
  if agg == 'sum' or agg == 'mean' then
    local total = tonumber(redis.call('ZINCRBY', board .. ':s', sign * s, member))
    if agg == 'sum' then score = total / 1000 else score = total / count / 1000 end
  elseif agg == 'nps' then
    local pro = tonumber(redis.call('ZINCRBY', board .. ':p', sign * p, member))
    local det = tonumber(redis.call('ZINCRBY', board .. ':d', sign * d, member))
    score = (pro - det) * 100 / count
  end
  redis.call('ZADD', board .. ':r', string.format('%.17g', score), member)
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
    for _, bucket in ipairs(buckets) do
      local base = prefix .. metric .. ':' .. bucket
      apply_cell(base .. ':agent', agent, agg, sign, n, s, p, d)
      if team ~= '' then apply_cell(base .. ':team', team, agg, sign, n, s, p, d) end
    end
  end
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
end

local function resolve_team(encoded)
  if encoded == '' then return encoded end
  local cut = string.find(encoded, '\n', 1, true)
  local head = split(string.sub(encoded, 1, cut - 1), '\t')
  if head[2] ~= '\31' then return encoded end
  local team = ''
  local known = redis.call('HGET', KEYS[2], ARGV[7])
  if known then team = split(known, '\t')[3] or '' end
  return head[1] .. '\t' .. team .. '\t' .. head[3] .. string.sub(encoded, cut)
end

local old = redis.call('HMGET', KEYS[1], 'v', 'h', 'c', 'd')
local old_v, old_h, old_c, old_d = old[1], old[2], old[3], old[4]
if old_v then
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
local new_c = ''
if not deleted then new_c = resolve_team(ARGV[5]) end
apply(old_c, -1)
apply(new_c, 1)
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'h', ARGV[3], 'd', ARGV[4], 'c', new_c, 'e', ARGV[6])

if deleted then
  if was_live then
    redis.call('INCR', KEYS[3])
    return 'retracted'
  end
  return 'unchanged'
end
remember_agent()
redis.call('INCR', KEYS[3])
if was_live then return 'updated' end
return 'new'
