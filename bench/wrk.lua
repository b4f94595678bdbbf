-- wrk script for bench/run and bench/load: sends GETs, or POSTs the bodies in a file (one per
-- line, in turn), and prints one line of JSON with the results.
--   wrk -s bench/wrk.lua URL                              GET URL
--   wrk -s bench/wrk.lua URL -- BODIES CONTENT_TYPE [THREADS]
--                                                         POST each line of BODIES
-- Given wrk's -t as THREADS, each thread starts at its own share of BODIES, so the threads do not
-- send the same bodies in step, and a run of fewer requests than lines sends no body twice.
-- With BENCH_COUNT_STATUS=1 in the environment it also counts every answer that is not 2xx
-- (wrk itself counts only 4xx and 5xx), at some cost to wrk's own speed.

local threads = {}
local requests = {}
local next_request = 0
not_2xx = 0 -- global, so done() can read it from each thread

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  local bodies, content_type, thread_count = args[1], args[2], tonumber(args[3] or "1")
  if bodies then
    for body in io.lines(bodies) do
      requests[#requests + 1] = wrk.format("POST", nil, { ["Content-Type"] = content_type }, body)
    end
    -- request() adds one before sending, so this thread's first body is the one after its offset.
    next_request = math.floor((thread_number - 1) * #requests / thread_count)
  end
end

function request()
  if #requests == 0 then
    return wrk.format()
  end
  next_request = next_request % #requests + 1
  return requests[next_request]
end

if os.getenv("BENCH_COUNT_STATUS") == "1" then
  function response(status, headers, body)
    if status < 200 or status > 299 then
      not_2xx = not_2xx + 1
    end
  end
end

function done(summary, latency, _)
  local counted = 0
  for _, thread in ipairs(threads) do
    counted = counted + (thread:get("not_2xx") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "status_4xx_5xx": %d, "not_2xx": %d, ' ..
    '"p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read,
    errors.write, errors.timeout, errors.status, counted,
    latency:percentile(50), latency:percentile(99), latency.max))
end
