-- wrk script for bench/ensemble.sh. Run with as many threads as connections (-tN -cN): each
-- thread's Lua state then serves one connection, so it can chain calls on it.
--   WRK_MODE=ensemble  one call per pipeline: POST /v2/models/chain/infer
--   WRK_MODE=client    the client chains the two steps itself: POST /v2/models/simple/infer, then
--                      again with the first answer's OUTPUT0/OUTPUT1 as INPUT0/INPUT1
-- A pipeline's latency runs from its first request to its last answer (LuaJIT ffi clock). Prints:
-- RESULT pipelines=N seconds=S rps=R p50_ms=.. p99_ms=.. failed=F
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } infera_timespec;
  int clock_gettime(int clock, infera_timespec *tp);
]]
local clock = ffi.new("infera_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1e6 + tonumber(clock.tv_nsec) / 1e3
end

local mode = os.getenv("WRK_MODE") or "ensemble"
local inputs = '{"inputs":[{"name":"%s","shape":[1,16],"datatype":"INT32","data":[%s]},'
  .. '{"name":"%s","shape":[1,16],"datatype":"INT32","data":[%s]}]}'
local a = "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15"
local b = "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"
local headers = { ["Content-Type"] = "application/json" }
local first_path = mode == "client" and "/v2/models/simple/infer" or "/v2/models/chain/infer"
local first_body = mode == "client" and string.format(inputs, "INPUT0", a, "INPUT1", b)
  or string.format(inputs, "IN0", a, "IN1", b)

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

latencies = {}
failed = 0
local started = 0
local second = nil -- the second call's body while it is due
local awaiting_second = false

function request()
  if second then
    local body = second
    second = nil
    return wrk.format("POST", "/v2/models/simple/infer", headers, body)
  end
  started = now_us()
  return wrk.format("POST", first_path, headers, first_body)
end

function response(status, _, body)
  if status ~= 200 then
    failed = failed + 1
    awaiting_second = false
    return
  end
  if mode == "client" and not awaiting_second then
    local out0 = body:match('"name":"OUTPUT0".-"data":%[(.-)%]')
    local out1 = body:match('"name":"OUTPUT1".-"data":%[(.-)%]')
    second = string.format(inputs, "INPUT0", out0, "INPUT1", out1)
    awaiting_second = true
    return
  end
  awaiting_second = false
  latencies[#latencies + 1] = now_us() - started
end

function done(summary)
  local all, lost = {}, 0
  for _, thread in ipairs(threads) do
    for _, value in ipairs(thread:get("latencies")) do
      all[#all + 1] = value
    end
    lost = lost + thread:get("failed")
  end
  table.sort(all)
  local function pct(p)
    if #all == 0 then return 0 end
    return all[math.max(1, math.ceil(#all * p / 100))] / 1e3
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("RESULT pipelines=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f failed=%d\n",
    #all, seconds, #all / seconds, pct(50), pct(99),
    lost + e.connect + e.read + e.write + e.timeout))
end
