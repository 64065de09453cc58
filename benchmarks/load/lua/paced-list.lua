-- Like the harness's list.lua, paced: each connection waits THINK_MS between requests, so the load is below
-- capacity and latency is service time, not queueing. SUFFIX is appended to every path; UNIQUE=1 adds a counter
-- so that every request is a distinct URL (a miss).
dofile(os.getenv("BENCH") .. "/lua/common.lua")
local list = read_lines(os.getenv("URL_LIST"))
local think = tonumber(os.getenv("THINK_MS") or "0")
local suffix = os.getenv("SUFFIX") or ""
local unique = os.getenv("UNIQUE") == "1"

function init(args)
  init_counters()
  n = 0
end

function request()
  n = n + 1
  local p = list[(n + (id or 0) * 7) % #list + 1] .. suffix
  if unique then
    p = p .. (suffix:find("?", 1, true) and "&" or "?") .. "u=" .. (id or 0) .. "-" .. n .. "-" .. math.random(1e9)
  end
  return wrk.format("GET", prefix .. p)
end

function delay()
  return think
end

response = count_response
