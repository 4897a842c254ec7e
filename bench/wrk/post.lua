-- wrk script: POSTs the file named by $WRK_BODY (as JSON, or with $WRK_CONTENT_TYPE), then prints
-- one machine-readable line:
-- RESULT requests=N seconds=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. errors=E non2xx=N
-- $WRK_HEADER_LENGTH, when set and not empty, is sent as Inference-Header-Content-Length (KServe binary data).
local path = os.getenv("WRK_BODY")
if path then
  local file = assert(io.open(path, "rb"))
  wrk.body = file:read("*a")
  file:close()
end
wrk.method = "POST"
wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE") or "application/json"
local header_length = os.getenv("WRK_HEADER_LENGTH")
if header_length and header_length ~= "" then
  wrk.headers["Inference-Header-Content-Length"] = header_length
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f errors=%d non2xx=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    e.connect + e.read + e.write + e.timeout, e.status))
end
