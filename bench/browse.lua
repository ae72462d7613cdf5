-- wrk script of bench/browse.py: every request a path drawn at random from a file.
--
-- BENCH_URLS    a file of paths, one a line; each request takes one at random
-- BENCH_COOKIE  the reader's session cookie
-- BENCH_WRITES  (the mixed run) a file of writes, one a line: path TAB form body;
--               every BENCH_WRITE_EVERY-th request of a thread is the next write, sent
--               as another user (BENCH_WRITE_COOKIE, with BENCH_WRITE_CSRF as the token)
--
-- It prints the figures bench/browse.py reads as one JSON line, with what the responses
-- said about the page cache (headers added by bench/probe.py).
local threads = {}
local counter = 1

setup = function(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

local function lines(path)
  local found = {}
  if path == nil or path == "" then
    return found
  end
  for line in io.lines(path) do
    if line ~= "" then
      table.insert(found, line)
    end
  end
  return found
end

init = function(args)
  math.randomseed(os.time() * 100 + id)
  paths = lines(os.getenv("BENCH_URLS"))
  cookie = os.getenv("BENCH_COOKIE")
  writes = {}
  for _, line in ipairs(lines(os.getenv("BENCH_WRITES"))) do
    local path, body = line:match("^([^\t]+)\t(.*)$")
    table.insert(writes, {path, body})
  end
  -- Threads take the writes in turns, so that none is sent twice.
  next_write = id
  nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
  write_every = tonumber(os.getenv("BENCH_WRITE_EVERY") or "20")
  write_cookie = os.getenv("BENCH_WRITE_COOKIE")
  write_csrf = os.getenv("BENCH_WRITE_CSRF")
  sent, written = 0, 0
  hits, misses, render_us, cache_us = 0, 0, 0, 0
  statuses = {}
end

request = function()
  sent = sent + 1
  if #writes > 0 and sent % write_every == 0 and writes[next_write] ~= nil then
    local w = writes[next_write]
    next_write = next_write + nthreads
    written = written + 1
    return wrk.format("POST", w[1], {
      ["Cookie"] = write_cookie,
      ["X-CSRFToken"] = write_csrf,
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, w[2])
  end
  return wrk.format("GET", paths[math.random(#paths)], {["Cookie"] = cookie})
end

response = function(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  local cached = headers["X-Bench-Page-Cache"]
  if cached == "hit" then
    hits = hits + 1
  elseif cached == "miss" then
    misses = misses + 1
    render_us = render_us + (tonumber(headers["X-Bench-Render-Us"]) or 0)
  end
  if cached ~= nil then
    cache_us = cache_us + (tonumber(headers["X-Bench-Cache-Us"]) or 0)
  end
end

done = function(summary, latency, requests)
  local h, m, r, c, w = 0, 0, 0, 0, 0
  local codes = {}
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    r = r + thread:get("render_us")
    c = c + thread:get("cache_us")
    w = w + thread:get("written")
    for k, v in pairs(thread:get("statuses")) do
      codes[k] = (codes[k] or 0) + v
    end
  end
  local parts = {}
  for k, v in pairs(codes) do
    table.insert(parts, string.format('"%s": %d', k, v))
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "non2xx": %d, "socket_errors": %d, "hits": %d, "misses": %d, ' ..
    '"render_us": %d, "cache_us": %d, "writes": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    h, m, r, c, w, table.concat(parts, ", ")
  ))
end
