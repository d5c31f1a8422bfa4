-- wrk script of bench/public_load.py. With an input file (``wrk … -- FILE``: one
-- ``path<TAB>cookie`` per line, bench/public_inputs.py) every request takes the next line in
-- turn, so a target cycles through many distinct URLs and visitors' session cookies; without
-- one, wrk's single URL. At the end it prints one JSON line with the figures the bench needs
-- (wrk's own report has no p95). Latencies are in microseconds.
local rows = {}
local n = 0
local i = 0

init = function(args)
  if args[1] then
    for line in io.lines(args[1]) do
      local path, cookie = line:match("^([^\t]*)\t?(.*)$")
      if path and path ~= "" then
        n = n + 1
        rows[n] = {path, cookie}
      end
    end
  end
end

-- Every request comes from another client address (X-Forwarded-For, the server trusting one
-- proxy as behind nginx): many people at once, as after a newspaper's link, so the per-address
-- limits of the self-check and the API count as in production without refusing the load.
local a = 0
local function address()
  a = a + 1
  return string.format("10.%d.%d.%d", 2 + math.floor(a / 62500) % 200, math.floor(a / 250) % 250, a % 250 + 1)
end

request = function()
  if n == 0 then
    return wrk.format(nil, nil, {["X-Forwarded-For"] = address()})
  end
  i = i % n + 1
  local row = rows[i]
  if row[2] ~= "" then
    return wrk.format("GET", row[1], {Cookie = row[2], ["X-Forwarded-For"] = address()})
  end
  return wrk.format("GET", row[1], {["X-Forwarded-For"] = address()})
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"p50":%d,"p90":%d,"p95":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.stdev,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max))
end
