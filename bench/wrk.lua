-- wrk script of bench/pages.py: sends the session cookie (BENCH_COOKIE) with every
-- request and prints the figures the benchmark reads as one JSON line.
local cookie = os.getenv("BENCH_COOKIE")

request = function()
  if cookie then
    wrk.headers["Cookie"] = cookie
  end
  return wrk.format(nil)
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout
  ))
end
