-- The batch's part of the upsert library (kpi/store/upsert_library.py), after upsert.lua: many calls
-- in one script run, each record's KEYS and ARGV given by `upsert_batch`'s arguments.
--
-- Board cells (the sorted sets upsert.lua writes) and counters (HINCRBY, INCR) are held while the run
-- lasts, each written once at its end: the run's records move a cell or counter by the sum of their
-- deltas, in one write per key. upsert.lua's functions reach a held field only through these commands
-- (`HELD` stands in for `redis` while a batch runs).
local real = SERVER
local cells, touched, found, kinds
local READ = {z = 'ZSCORE', h = 'HGET'}
local function cell_of(key, kind)
  local t = cells[key]
  if not t then
    t = {}
    cells[key], found[key], kinds[key] = t, {}, kind
    touched[#touched + 1] = key
  end
  return t
end
local function add(kind, key, member, by)
  local t = cell_of(key, kind)
  local v = t[member]
  if v == nil then
    local s
    if kind == 's' then s = real.call('GET', key) else s = real.call(READ[kind], key, member) end
    v = s and tonumber(s) or false
    found[key][member] = v
  end
  v = (v or 0) + tonumber(by)
  t[member] = v
  return v
end
local function drop(kind, key, ...)
  local t = cell_of(key, kind)
  for _, member in ipairs({...}) do t[member] = false end
  return 1
end
local held = {
  ZINCRBY = function(key, by, member) return add('z', key, member, by) end,
  ZREM = function(key, ...) return drop('z', key, ...) end,
  ZADD = function(key, score, member) cell_of(key, 'z')[member] = tonumber(score); return 1 end,
  HINCRBY = function(key, field, by) return add('h', key, field, by) end,
  HDEL = function(key, ...) return drop('h', key, ...) end,
  INCR = function(key) return add('s', key, '', 1) end,
}
local HELD = {call = function(command, ...)
  local apply = held[command]
  if apply then return apply(...) end
  return real.call(command, ...)
end}
local function send(command, key, list)
  for i = 1, #list, 1000 do real.call(command, key, unpack(list, i, math.min(i + 999, #list))) end
end
local function flush_held()
  for _, key in ipairs(touched) do
    local before, kind, set, gone = found[key], kinds[key], {}, {}
    for member, v in pairs(cells[key]) do
      if v ~= before[member] then
        if not v then gone[#gone + 1] = member
        elseif kind == 'z' then set[#set + 1] = string.format('%.17g', v); set[#set + 1] = member
        elseif kind == 'h' then set[#set + 1] = member; set[#set + 1] = string.format('%d', v)
        else real.call('INCRBY', key, string.format('%d', v - (before[member] or 0))) end
      end
    end
    send(kind == 'z' and 'ZADD' or 'HSET', key, set)
    send(kind == 'z' and 'ZREM' or 'HDEL', key, gone)
  end
end

-- ARGV: count, keys and arguments per call, the 1-based positions of the keys and of the arguments that
-- vary from call to call; then the first call's arguments; then each call's varying arguments. KEYS: the
-- first call's keys, then each call's varying keys. Returns each call's outcome, in order.
local function upsert_batch(keys_in, args_in)
  redis = HELD
  new_run()
  cells, touched, found, kinds = {}, {}, {}, {}
  local count, key_width, arg_width = tonumber(args_in[1]), tonumber(args_in[2]), tonumber(args_in[3])
  local keys_varying, args_varying = {}, {}
  for i in string.gmatch(args_in[4], '%d+') do keys_varying[#keys_varying + 1] = tonumber(i) end
  for i in string.gmatch(args_in[5], '%d+') do args_varying[#args_varying + 1] = tonumber(i) end
  local next_key, next_arg = key_width, 5 + arg_width
  local outcomes = {}
  for r = 1, count do
    local keys, args = {}, {}
    for j = 1, key_width do keys[j] = keys_in[j] end
    for j = 1, arg_width do args[j] = args_in[5 + j] end
    for _, j in ipairs(keys_varying) do
      next_key = next_key + 1
      keys[j] = keys_in[next_key]
    end
    for _, j in ipairs(args_varying) do
      next_arg = next_arg + 1
      args[j] = args_in[next_arg]
    end
    outcomes[r] = upsert_one(keys, args)
  end
  flush_held()
  cells, touched, found, kinds = nil, nil, nil, nil
  return outcomes
end
