-- wrk script for the "Zipf mix" rows of bench/http.py: each request asks for one of the
-- addresses in the file ZIPF_PATHS (one a line, the most read first), the address of rank k
-- drawn with a probability proportional to 1 / k^s (ZIPF_S, 1 by default): a few stories read
-- all the time, a long tail read now and then, as readers coming from search engines do.
-- Counts the answers by their X-Page-Cache header (hit, miss, none) and prints them at the end.
-- With ZIPF_WALK set to the number of wrk's threads, asks for every address in turn instead
-- (thread i the i-th, then every ZIPF_WALK-th after): to fill the cache before measuring.

local paths = {}
local cumulative = {}
local total = 0

local function load()
  local s = tonumber(os.getenv("ZIPF_S") or "1")
  local file = assert(io.open(os.getenv("ZIPF_PATHS"), "r"))
  for line in file:lines() do
    if #line > 0 then
      table.insert(paths, line)
      total = total + 1 / ((#paths) ^ s)
      cumulative[#paths] = total
    end
  end
  file:close()
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("seed", 1000 + #threads) -- each thread its own draws, the same from run to run
  thread:set("walked", #threads - 1)
end

function init(args)
  load()
  hits, misses, others = 0, 0, 0
  math.randomseed(seed)
end

local function pick()
  local target = math.random() * total
  local low, high = 1, #paths
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cumulative[middle] < target then
      low = middle + 1
    else
      high = middle
    end
  end
  return paths[low]
end

local stride = tonumber(os.getenv("ZIPF_WALK") or "0")

function request()
  if stride > 0 then
    walked = walked % #paths + 1
    local path = paths[walked]
    walked = walked + stride - 1
    return wrk.format("GET", path)
  end
  return wrk.format("GET", pick())
end

function response(status, headers, body)
  local state = headers["X-Page-Cache"] or headers["x-page-cache"]
  if state == "hit" then
    hits = hits + 1
  elseif state == "miss" then
    misses = misses + 1
  else
    others = others + 1
  end
end

function done(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    o = o + thread:get("others")
  end
  io.write(string.format("page cache: %d hits, %d misses, %d others\n", h, m, o))
end
