-- Apply one version of one record atomically: remove the old contribution, add the new one.
--
-- KEYS[1] record bucket hash   KEYS[2] agents hash   KEYS[3] data version counter   KEYS[4] the record's
-- dependents (all share one hash tag; board keys are built from ARGV[1], other records' buckets from
-- their references)   KEYS[5] per-part data versions (hash: metric -> n, '~agents' -> n)
-- ARGV[1] board key prefix   ARGV[2] version (packed)   ARGV[3] content hash   ARGV[4] '1' if deleted
-- ARGV[5] encoded contribution ('' for none)   ARGV[6] compact event (a rescore's: see Rescore below)
-- ARGV[7] agent id   ARGV[8] agent name or ''   ARGV[9] team or ''   ARGV[10] seen (occurred_at version)
-- ARGV[11] linked record reference ('' for none)   ARGV[12] linked metric lines   ARGV[13] '1' if linkable
-- ARGV[14] record bucket prefix   ARGV[15] dependents key prefix   ARGV[16] 'rescore' to re-derive in place
-- ARGV[17] the record's id (its field in KEYS[1])   ARGV[18] the names hash (short contribution lines)
-- ARGV[19] the office-local today (ISO date; '' counts every day as past)
-- ARGV[16] 'rescore-short' re-derives in place as 'rescore' does, from contributions in their stored
-- (short) form: ARGV[5] the new one, ARGV[20] the one it was read with (else 'stale'), and the lines to
-- take back (ARGV[21]) and to add (ARGV[22]) in full, each under its head ('' for none).
-- ARGV[16] 'names' returns the short ids of the texts ARGV[20], ARGV[21], … (new ones given; ids_of).
-- ARGV[16] 'migrate' stores a record of the old layout as given (ARGV[20] its applied link contribution),
-- unless the record is stored already: no figure moves (kpi/store/redis_migrate.py); 'convert' writes a
-- record stored in the value layout before in the short one, its event as ARGV[6] (when not '').
--
-- A contribution is "agent<TAB>team<TAB>bucket,bucket,...", then one line per metric:
-- "metric<TAB>aggregation<TAB>count<TAB>total<TAB>promoters<TAB>detractors".
-- A team of "\31" (unit separator) means "the agent's last known team", resolved here, inside the
-- transaction, so that concurrent writers cannot credit a stale team.
--
-- A record is one field of a bucket hash (kpi/store/record_codec.py): its value packs v version, h content
-- hash, flags (deleted, linkable), c contribution, e event, and when it links l linked record reference,
-- x linked lines, a applied link contribution, separated by "\30" (read_record, write_record). A record
-- reference is "<bucket key><TAB><id>". Contribution and event are stored short (pack_c, e_short): texts
-- that repeat (a metric line's "metric<TAB>aggregation", agent, team, type, name, attribute key) become
-- ids kept in the names hash (text → id, "\31<id>" → text, "\31" the last id given).
--
-- Links: a record may give metric lines (points) to another record of its source (a rating to its
-- ticket). They are applied under the target's head (agent, team, buckets) while the target is live and
-- linkable; the applied text is kept in the record's 'a' field, and the target's dependents set lists the
-- record's reference, so that any change of the target re-applies them.
--
-- Versions: an older version is stale; the same version with the same content is a duplicate; the same
-- version with other content is decided by the greater content hash, so that arrival order never matters;
-- a newer version with the same content only advances the stored version.
-- Rescore re-derives a stored record with today's rules: version, hash and event stay (the stored event
-- is kept while the record keeps having a contribution, or keeps having none, since its agent and team
-- may refer to the contribution's head; else ARGV[6], written for the new one, is stored), and the team
-- credited stays the one first resolved; ARGV[3] is then the hash the record was read with, and a record
-- changed since (a correction arrived mid-rescore) is left alone ('stale').

-- This file is the body of a Redis function library (kpi/store/upsert_library.py adds the batch's part,
-- upsert_batch.lua, and registers `upsert_single` and `upsert_batch`): its functions are defined once,
-- by the first call after the library is loaded, and each call runs `upsert_one` alone. The functions call `redis`, which is
-- the server's for a single call and the batch's held cells in a batch (upsert_batch.lua). What one call
-- sets before it starts:
local SERVER = redis
local redis = SERVER
-- The standard functions as locals: a library reaches globals through Redis's guarded globals table.
local string, math, table, tonumber, ipairs, pairs, unpack = string, math, table, tonumber, ipairs, pairs, unpack
local KEYS, ARGV, prefix, bumped, TODAY, NAMES, self_ref

-- Per-part data versions: every metric whose boards this run moved (and '~agents' when the agents hash
-- changed) gets one HINCRBY in KEYS[5] next to the INCR of the data version, so that a cached view of
-- other metrics stays valid (dashboard/services/kiosk/view_cache.py). A contribution (added or taken
-- back) of a day before ARGV[19] also bumps '<metric>@past': memos of ended days key on it alone.
local function bump_versions()
  for part in pairs(bumped) do redis.call('HINCRBY', KEYS[5], part, 1) end
end

local find, sub = string.find, string.sub
local function split(text, sep)
  local out, start, n = {}, 1, 0
  while true do
    local at = find(text, sep, start, true)
    n = n + 1
    if not at then
      out[n] = sub(text, start)
      return out
    end
    out[n] = sub(text, start, at - 1)
    start = at + 1
  end
end

-- The key name of a board ('<prefix><metric>:<bucket>:<agent|team>', its 'base') and of its count and sum
-- sets (':n', ':s'), made once per prefix, metric, bucket and side while the script runs (a batch's
-- records share them).
local board_keys, keys_prefix = {}, nil
local function board_of(metric, bucket, side)
  if keys_prefix ~= prefix then board_keys, keys_prefix = {}, prefix end
  local of_metric = board_keys[metric]
  if not of_metric then
    of_metric = {}
    board_keys[metric] = of_metric
  end
  local of_bucket = of_metric[bucket]
  if not of_bucket then
    of_bucket = {}
    of_metric[bucket] = of_bucket
  end
  local board = of_bucket[side]
  if not board then
    local base = prefix .. metric .. ':' .. bucket .. ':' .. side
    board = {base = base, n = base .. ':n', s = base .. ':s'}
    of_bucket[side] = board
  end
  return board
end

-- Counts and sums are ranked by their own counter (n, s); means and NPS keep a ranking set (r).
local function apply_cell(board, member, agg, sign, n, s, p, d)
  local count = tonumber(redis.call('ZINCRBY', board.n, sign * n, member))
  local ranked = agg == 'mean' or agg == 'nps'
  if count <= 0 then
    redis.call('ZREM', board.n, member)
    if ranked then redis.call('ZREM', board.base .. ':r', member) end
    if agg ~= 'count' then redis.call('ZREM', board.s, member) end
    if agg == 'nps' then
      redis.call('ZREM', board.base .. ':p', member)
      redis.call('ZREM', board.base .. ':d', member)
    end
    return
  end
  if agg == 'sum' then
    redis.call('ZINCRBY', board.s, sign * s, member)
  elseif agg == 'mean' then
    local total = tonumber(redis.call('ZINCRBY', board.s, sign * s, member))
    redis.call('ZADD', board.base .. ':r', string.format('%.17g', total / count / 1000), member)
  elseif agg == 'nps' then
    local pro = tonumber(redis.call('ZINCRBY', board.base .. ':p', sign * p, member))
    local det = tonumber(redis.call('ZINCRBY', board.base .. ':d', sign * d, member))
    redis.call('ZADD', board.base .. ':r', string.format('%.17g', (pro - det) * 100 / count), member)
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
    if agg == 'tally' then
      tally(buckets[1], team, metric, sign, n, s)
    else
      bumped[metric] = true
      if TODAY == '' or buckets[1] < TODAY then bumped[metric .. '@past'] = true end
    end
    for _, bucket in ipairs(agg ~= 'tally' and buckets or {}) do
      apply_cell(board_of(metric, bucket, 'agent'), agent, agg, sign, n, s, p, d)
      if team ~= '' then apply_cell(board_of(metric, bucket, 'team'), team, agg, sign, n, s, p, d) end
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

local function base36(n)
  local digits, out = '0123456789abcdefghijklmnopqrstuvwxyz', ''
  repeat
    local d = n % 36
    out = string.sub(digits, d + 1, d + 1) .. out
    n = (n - d) / 36
  until n == 0
  return out
end

local function of_day(day)
  local month = tonumber(string.sub(day, 6, 7))
  local year = string.sub(day, 1, 4)
  return string.sub(day, 1, 7) .. ',' .. year .. '-Q' .. math.floor((month - 1) / 3) + 1 .. ',' .. year
end

local match, floor = string.match, math.floor

-- Days since 1970 of an ISO day and back (civil calendar arithmetic), and every bucket of a day: day,
-- ISO week, month, quarter, year (kpi/model/periods.py).
local function days_since_1970(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = floor(y / 400)
  local yoe = y - era * 400
  local doy = floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1
  return era * 146097 + yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy - 719468
end

local function day_number(day)
  return days_since_1970(tonumber(sub(day, 1, 4)), tonumber(sub(day, 6, 7)), tonumber(sub(day, 9, 10)))
end

local function day_of(z)
  z = z + 719468
  local era = floor(z / 146097)
  local doe = z - era * 146097
  local yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100))
  local mp = floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400 + (m <= 2 and 1 or 0)
  return string.format('%04d-%02d-%02d', y, m, doy - floor((153 * mp + 2) / 5) + 1)
end

local function buckets_of(day)
  local z, year = day_number(day), tonumber(sub(day, 1, 4))
  local thursday = z - (z + 3) % 7 + 3
  if thursday < days_since_1970(year, 1, 1) then
    year = year - 1
  elseif thursday >= days_since_1970(year + 1, 1, 1) then
    year = year + 1
  end
  local week = floor((thursday - days_since_1970(year, 1, 1)) / 7) + 1
  return day .. ',' .. year .. (week < 10 and '-W0' or '-W') .. week .. ',' .. of_day(day)
end

-- Versions and content hashes: digits of 6 bits in ASCII order (record_codec.py), so they sort as text.
local B64 = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz'
local function micros_of(packed)
  local n = 0
  for i = 1, #packed do n = n * 64 + find(B64, sub(packed, i, i), 1, true) - 1 end
  return n
end

local function pack64(n, width)
  local out = ''
  for _ = 1, width do
    local d = n % 64
    out = sub(B64, d + 1, d + 1) .. out
    n = (n - d) / 64
  end
  return out
end

-- Short ids of texts in the names hash (text -> id, "\31<id>" -> text, "\31" the last id given). The hash
-- also holds a 4 KB field "\30", written with a new id: longer than any hash-max-listpack-value, it keeps
-- the hash a hash table, whose lookups do not grow with the floor as a listpack's do.
local function ids_of(texts)
  local ids = {}
  if #texts == 0 then return ids end
  local found = redis.call('HMGET', NAMES, unpack(texts))
  for i, text in ipairs(texts) do
    local id = found[i] or ids[text]
    if not id then
      id = base36(redis.call('HINCRBY', NAMES, '\31', 1))
      redis.call('HSET', NAMES, text, id, '\31' .. id, text)
      redis.call('HSETNX', NAMES, '\30', string.rep('.', 4096))
    end
    ids[text] = id
  end
  return ids
end

local function texts_of(ids)
  local keys, texts = {}, {}
  for i, id in ipairs(ids) do keys[i] = '\31' .. id end
  local found = #keys > 0 and redis.call('HMGET', NAMES, unpack(keys)) or {}
  for i, id in ipairs(ids) do texts[id] = found[i] end
  return texts
end

-- A contribution stored short: agent and team as ids, the buckets as the day's number (base 36) when they
-- are the day's usual five (else '~' and the list), each line's "metric<TAB>aggregation" as an id, a
-- count of 1 and trailing zeros left out.
local function c_texts(full, texts)
  local lines = split(full, '\n')
  local head = split(lines[1], '\t')
  local day, buckets = match(head[3], '^[^,]*'), '~' .. head[3]
  if find(day, '^%d%d%d%d%-%d%d%-%d%d$') and head[3] == buckets_of(day) then
    buckets = base36(day_number(day))
  end
  local names, nums = {}, {}
  texts[#texts + 1] = head[1]
  if head[2] ~= '' then texts[#texts + 1] = head[2] end
  for i = 2, #lines do
    local name, n = match(lines[i], '^([^\t]*\t[^\t]*)\t(.*)$')
    while sub(n, -2) == '\t0' do n = sub(n, 1, -3) end
    if n == '1' then n = '' end
    names[i - 1], nums[i - 1] = name, n
    texts[#texts + 1] = name
  end
  return {head[1], head[2], buckets, names, nums}
end

local function c_short(c, ids)
  local out = {ids[c[1]] .. '\t' .. (c[2] ~= '' and ids[c[2]] or '') .. '\t' .. c[3]}
  for i, n in ipairs(c[5]) do
    local id = ids[c[4][i]]
    out[i + 1] = n ~= '' and id .. '\t' .. n or id
  end
  return table.concat(out, '\n')
end

local function pack_c(full)
  if full == '' then return '' end
  local texts = {}
  local c = c_texts(full, texts)
  return c_short(c, ids_of(texts))
end

-- The contribution in full; `legacy`: stored in the layout before (agent and team in full, the buckets
-- as the day and week, or all of them).
local function expand_c(short, legacy)
  if short == '' then return '' end
  local lines = split(short, '\n')
  local head = split(lines[1], '\t')
  local agent, team, buckets = head[1], head[2], head[3]
  local ids, rows = {}, {}
  for i = 2, #lines do
    rows[i - 1] = split(lines[i], '\t')
    ids[i - 1] = rows[i - 1][1]
  end
  if not legacy then
    ids[#ids + 1] = agent
    if team ~= '' then ids[#ids + 1] = team end
  end
  local texts = texts_of(ids)
  if legacy then
    local b = split(buckets, ',')
    if #b == 2 then buckets = buckets .. ',' .. of_day(b[1]) end
  else
    agent, team = texts[agent], team ~= '' and texts[team] or ''
    if sub(buckets, 1, 1) == '~' then
      buckets = sub(buckets, 2)
    else
      buckets = buckets_of(day_of(tonumber(buckets, 36)))
    end
  end
  local out = {agent .. '\t' .. team .. '\t' .. buckets}
  for i, f in ipairs(rows) do
    out[i + 1] = texts[f[1]] .. '\t' .. (f[2] or '1') .. '\t' .. (f[3] or '0') .. '\t' .. (f[4] or '0')
      .. '\t' .. (f[5] or '0')
  end
  return table.concat(out, '\n')
end

-- An event stored short (e_texts, then e_short; record_codec.unpack_event reads it): "type, value,
-- occurred, name, attributes, updated, agent, team, deleted", with the type, name and attribute keys as
-- ids, occurred's digits left out when they are the version's, agent and team '' for '=' (team '\31' for
-- none), trailing '' cut.
local function e_texts(e, texts)
  local f = split(e, '\t')
  texts[#texts + 1] = f[1]
  if f[3] ~= '\31' then texts[#texts + 1] = f[3] end
  if f[8] ~= '' and sub(f[8], 1, 1) ~= '{' then
    f.pairs = split(f[8], '\31')
    for i = 1, #f.pairs, 2 do texts[#texts + 1] = f.pairs[i] end
  end
  return f
end

local function e_short(f, v, ids)
  local kind, agent, name, team, value, occurred, updated, attrs, deleted = unpack(f)
  local pairs_ = f.pairs
  if pairs_ then
    for i = 1, #pairs_, 2 do pairs_[i] = ids[pairs_[i]] end
    attrs = table.concat(pairs_, '\31')
  end
  local digits, offset = match(occurred, '^([^@]*)(.*)$')
  if digits ~= '' and tonumber(digits, 36) == micros_of(v) then occurred = offset end
  local out = {ids[kind], value, occurred, name ~= '\31' and ids[name] or '', attrs, updated,
    agent == '=' and '' or agent, team == '=' and '' or (team == '' and '\31' or team), deleted}
  local n = 9
  while n > 2 and out[n] == '' do
    out[n] = nil
    n = n - 1
  end
  return table.concat(out, '\t')
end

-- A record's fields by name (see the header), or nil when the record is not stored.
local function split_ref(ref)
  local cut = string.find(ref, '\t', 1, true)
  return string.sub(ref, 1, cut - 1), string.sub(ref, cut + 1)
end

local function read_record(ref, short)
  local packed = redis.call('HGET', split_ref(ref))
  if not packed then return nil end
  local f = split(packed, '\30')
  if #f == 9 then
    -- the layout before: version in 12 base-36 digits, a 96-bit hash (its first 64 bits kept), the event
    -- as encode_event wrote it; written again in the short layout (wallboard migrate: 'convert').
    local h, last = f[2], find(B64, sub(f[2], 11, 11), 1, true)
    if #h >= 11 then h = sub(h, 1, 10) .. sub(B64, last - (last - 1) % 4, last - (last - 1) % 4) end
    return {v = pack64(tonumber(f[1], 36), 9), h = h, d = f[3], c = short and f[4] or expand_c(f[4], true),
      l = f[5], x = f[6],
      a = f[7], q = f[8] ~= '' and f[8] or '0', e = f[9], legacy = true}
  end
  local flags = tonumber(f[3])
  return {v = f[1], h = f[2], d = flags % 2 == 1 and '1' or '0', q = flags >= 2 and '1' or '0',
    c = short and f[4] or expand_c(f[4]), e = f[5], packed_e = true, l = f[6] or '', x = f[7] or '',
    a = f[8] or ''}
end

-- v, h, flags, c, e, and l, x, a only when the record links (record_codec.py); `record.e` is written short
-- unless it was read so (`packed_e`), `record.c` unless it is given short (`short`: a rescore's).
local function write_record(ref, record, short)
  local v, e, c, texts = record.v or '', record.e or '', record.c or '', {}
  local c_parts = not short and c ~= '' and c_texts(c, texts)
  local e_parts = not record.packed_e and e ~= '' and e_texts(e, texts)
  local ids = ids_of(texts)
  if c_parts then c = c_short(c_parts, ids) end
  if e_parts then e = e_short(e_parts, v, ids) end
  local flags = (record.d == '1' and 1 or 0) + (record.q == '1' and 2 or 0)
  local value = v .. '\30' .. (record.h or '') .. '\30' .. flags .. '\30' .. c .. '\30' .. e
  local l, x, a = record.l or '', record.x or '', record.a or ''
  if l ~= '' or x ~= '' or a ~= '' then value = value .. '\30' .. l .. '\30' .. x .. '\30' .. a end
  local bucket, id = split_ref(ref)
  redis.call('HSET', bucket, id, value)
end

local function deps_of(ref)
  local bucket, id = split_ref(ref)
  local source = string.match(string.sub(bucket, #ARGV[14] + 1), '^(.*):%d+$')
  return ARGV[15] .. source .. ':' .. id
end

local function linked(target, lines)
  if target == '' or lines == '' then return '' end
  local t = read_record(target)
  if not t or t.c == '' or t.d == '1' or t.q ~= '1' then return '' end
  return head_of(t.c) .. '\n' .. lines
end

local function relink(old_l, new_l)
  if old_l ~= '' and old_l ~= new_l then redis.call('SREM', deps_of(old_l), self_ref) end
  if new_l ~= '' then redis.call('SADD', deps_of(new_l), self_ref) end
end

local function refresh_dependents()
  for _, dep in ipairs(redis.call('SMEMBERS', KEYS[4])) do
    local f = read_record(dep)
    if not f or f.l ~= self_ref then
      redis.call('SREM', KEYS[4], dep)
    else
      local now = ''
      if f.d ~= '1' then now = linked(self_ref, f.x) end
      if now ~= f.a then
        apply(f.a, -1)
        apply(now, 1)
        f.a = now
        write_record(dep, f)
      end
    end
  end
end

-- Caches that live for one script run (a batch's records share them): a function library's state
-- outlives its calls, so each run starts them empty.
local function new_run()
  board_keys, keys_prefix = {}, nil
end

-- One call: KEYS and ARGV as described at the top; the outcome ('new', 'updated', 'unchanged', …).
local function upsert_one(keys, args)
  KEYS, ARGV = keys, args
  prefix, bumped, TODAY, NAMES = ARGV[1], {}, ARGV[19], ARGV[18]
  self_ref = KEYS[1] .. '\t' .. ARGV[17]
  if ARGV[16] == 'names' then
    local texts = {unpack(ARGV, 20)}
    local ids, out = ids_of(texts), {}
    for i, text in ipairs(texts) do out[i] = ids[text] end
    return out
  end
  local short = ARGV[16] == 'rescore-short'
  local old = read_record(self_ref, short)
  local stored = old or {}
  local old_v, old_h, old_c, old_d = stored.v, stored.h, stored.c or '', stored.d
  local old_l, old_x, old_a, old_q = stored.l or '', stored.x or '', stored.a or '', stored.q or '0'
  if ARGV[16] == 'convert' then
    if not (old and old.legacy) then return 'unchanged' end
    if ARGV[6] ~= '' then old.e = ARGV[6] end
    write_record(self_ref, old)
    return 'new'
  end
  if ARGV[16] == 'migrate' then
    if old then return 'unchanged' end
    write_record(self_ref, {v = ARGV[2], h = ARGV[3], d = ARGV[4], c = ARGV[5], l = ARGV[11], x = ARGV[12],
      a = ARGV[20], q = ARGV[13], e = ARGV[6]})
    return 'new'
  end
  local rescore = ARGV[16] == 'rescore' or short
  if rescore then
    if not old_v or ARGV[3] ~= old_h or (short and ARGV[20] ~= old_c) then return 'stale' end
    if old_d == '1' then return 'unchanged' end
  elseif old_v then
    if ARGV[2] < old_v then return 'stale' end
    if ARGV[2] == old_v then
      if ARGV[3] == old_h then return 'unchanged' end
      if ARGV[3] < old_h then return 'stale' end
    elseif ARGV[3] == old_h then
      old.v, old.e, old.packed_e = ARGV[2], ARGV[6], false
      write_record(self_ref, old)
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
  if short then
    apply(ARGV[21], -1)
    apply(ARGV[22], 1)
  else
    replace(old_c, new_c)
  end
  replace(old_a, new_a)
  relink(old_l, new_l)
  local record = {c = new_c, l = new_l, x = new_x, a = new_a, q = new_q, e = ARGV[6]}
  if rescore then
    record.v, record.h, record.d = old_v, old_h, old_d
    if (old_c == '') == (new_c == '') then record.e, record.packed_e = old.e, old.packed_e end
  else
    record.v, record.h, record.d = ARGV[2], ARGV[3], ARGV[4]
  end
  write_record(self_ref, record, short)
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
end

-- FCALL of one call, on the server's commands.
local function upsert_single(keys, args)
  redis = SERVER
  new_run()
  return upsert_one(keys, args)
end
