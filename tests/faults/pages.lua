-- wrk script for tests/faults/test_load.py: each connection asks for the pages of the list in
-- turn, so every kind of page is under load, not only the front page.
--
-- LOAD_PATHS: the paths, separated by spaces (read from the environment, because the story,
-- month, person and tag that exist are only known once the scratch archive is generated).
-- At the end one line `LOAD_RESULT {...}` gives the numbers as JSON for the test to read.

local paths = {}
for path in string.gmatch(os.getenv("LOAD_PATHS") or "/", "%S+") do
  table.insert(paths, path)
end

local threads = {}

function setup(thread)
  -- Threads start at different pages, so they are not all on the same one at once.
  thread:set("next_page", #threads)
  table.insert(threads, thread)
end

function request()
  next_page = next_page % #paths + 1
  return wrk.format("GET", paths[next_page])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'LOAD_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, '
      .. '"status_errors": %d, "timeouts": %d, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max
  ))
end
