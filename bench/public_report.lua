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

request = function()
  if n == 0 then
    return wrk.format(nil, nil)
  end
  i = i % n + 1
  local row = rows[i]
  if row[2] ~= "" then
    return wrk.format("GET", row[1], {Cookie = row[2]})
  end
  return wrk.format("GET", row[1])
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
