-- wrk script for the scormapi benchmark.
--
-- Usage: wrk ... -s bench/requests.lua http://127.0.0.1:PORT -- FILE MODE SEQ_BASE THREADS
--
-- FILE holds one request per line: METHOD <tab> PATH <tab> BODY. Bodies were
-- generated beforehand from the bench manifest, so wrk does no JSON work.
-- A body may hold one @SEQ@, replaced per request by a number that grows
-- within each thread and never repeats across threads (SEQ_BASE + count *
-- THREADS + thread id): commit sequence numbers, and values that make every
-- edit a real change.
--
-- MODE "random" picks a random line per request. MODE "cycle" gives each
-- thread its own share of the lines, shuffled once and walked in a loop; the
-- harness runs it with one connection per thread, so the requests of one
-- line are strictly sequential and its sequence numbers arrive in order
-- however the server schedules other connections.
--
-- done() prints one line "BENCH_JSON {...}" that the harness parses.

local threads = {}
headers = { ["Content-Type"] = "application/json" }

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function parse(line)
  local method, path, body = line:match("^(%u+)\t([^\t]+)\t(.*)$")
  if not method then
    error("bad request line: " .. line)
  end
  local head, tail = body:match("^(.-)@SEQ@(.*)$")
  return { method = method, path = path, body = body, head = head, tail = tail }
end

local function shuffle(list)
  for i = #list, 2, -1 do
    local j = math.random(i)
    list[i], list[j] = list[j], list[i]
  end
end

function init(args)
  local file = args[1]
  mode = args[2] or "random"
  seq_base = tonumber(args[3] or "1")
  thread_count = tonumber(args[4] or "1")
  math.randomseed(os.time() * 1000 + id)
  lines = {}
  local index = 0
  for line in io.lines(file) do
    if mode ~= "cycle" or index % thread_count == id then
      local req = parse(line)
      if not req.head then
        req.raw = wrk.format(req.method, req.path, headers, req.body)
      end
      table.insert(lines, req)
    end
    index = index + 1
  end
  if #lines == 0 then
    error("no request lines for thread " .. id .. " in " .. file)
  end
  if mode == "cycle" then
    shuffle(lines)
  end
  position = 0
  sent = 0
end

function request()
  local req
  if mode == "cycle" then
    position = position % #lines + 1
    req = lines[position]
  else
    req = lines[math.random(#lines)]
  end
  if req.raw then
    return req.raw
  end
  sent = sent + 1
  local seq = seq_base + sent * thread_count + id
  return wrk.format(req.method, req.path, headers, req.head .. string.format("%d", seq) .. req.tail)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
