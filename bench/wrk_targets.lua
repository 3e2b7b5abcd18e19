-- wrk script of bench_portal: request a list of (host, path) addresses
-- round robin, each connection from its own start; count portal cache hits
-- and answers other than 200; print one JSON line at the end.
-- Arguments after "--": the file with one "host<TAB>path" per line.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("index", #threads)
end

function init(args)
  targets = {}
  for line in io.lines(args[1]) do
    local host, path = line:match("^([^\t]+)\t(.+)$")
    if host then
      table.insert(targets, wrk.format("GET", path, { Host = host }))
    end
  end
  position = (index - 1) * 7919
  hits, ok, other = 0, 0, 0
end

function request()
  position = position + 1
  return targets[(position % #targets) + 1]
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    local mark = headers["x-portal-cache"] or headers["X-Portal-Cache"]
    if mark == "hit" then
      hits = hits + 1
    end
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local hits_total, ok_total, other_total = 0, 0, 0
  for _, thread in ipairs(threads) do
    hits_total = hits_total + thread:get("hits")
    ok_total = ok_total + thread:get("ok")
    other_total = other_total + thread:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests":%d,"duration_us":%d,"bytes":%d,"ok":%d,"hits":%d,' ..
    '"other_status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,' ..
    '"p50":%d,"p95":%d,"p99":%d,"max":%d}\n',
    summary.requests, summary.duration, summary.bytes, ok_total, hits_total,
    other_total, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max))
end
