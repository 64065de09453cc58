-- POST /v1/purge, one distinct URL per request. Env: TOKEN.
local token = os.getenv("TOKEN")
local n = 0
local id = 0

function setup(thread)
  thread:set("tid", id)
  id = id + 1
end

function request()
  n = n + 1
  local body = '{"urls": ["https://img.example.com/t' .. (tid or 0) .. '/' .. n .. '.jpg"]}'
  return wrk.format("POST", "/v1/purge", {["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json"}, body)
end

statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
