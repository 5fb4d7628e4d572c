-- How many members of a board are strictly ahead of each score, counting only those that take a place.
-- Read-only: a rank without sending the board's members to the client.
--
-- KEYS[1] the board's ranking set   KEYS[2] its count set (n)   KEYS[3] the agents hash
-- ARGV[1] 'asc' when lower is better, else 'desc'   ARGV[2] min volume   ARGV[3] team or '' (any team)
-- ARGV[4] k, the number of scores   ARGV[5 .. 4+k] the scores (exact, in the set's units)
-- ARGV[5+k ..] members that take no place (hidden agents)
-- A member takes a place with at least min-volume events, when not excluded, and, with a team, when
-- the agents hash names that team as their latest (third tab-separated field).

local k, min_volume, team = tonumber(ARGV[4]), tonumber(ARGV[2]), ARGV[3]
local excluded, known = {}, {}
for i = 5 + k, #ARGV do excluded[ARGV[i]] = true end

local function takes_place(member)
  if excluded[member] then return false end
  if min_volume > 1 and tonumber(redis.call('ZSCORE', KEYS[2], member) or '0') < min_volume then
    return false
  end
  if team ~= '' then
    local seen = redis.call('HGET', KEYS[3], member)
    return seen and string.match(seen, '^[^\t]*\t[^\t]*\t([^\t]*)') == team or false
  end
  return true
end

local counts = {}
for i = 1, k do
  local low, high = '(' .. ARGV[4 + i], '+inf'
  if ARGV[1] == 'asc' then low, high = '-inf', '(' .. ARGV[4 + i] end
  local ahead = 0
  for _, member in ipairs(redis.call('ZRANGE', KEYS[1], low, high, 'BYSCORE')) do
    if known[member] == nil then known[member] = takes_place(member) end
    if known[member] then ahead = ahead + 1 end
  end
  counts[i] = ahead
end
return counts
