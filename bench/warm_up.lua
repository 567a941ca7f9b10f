-- wrk script for the warm-up in bench/http.py: each connection asks for the paths in
-- WARM_UP_PATHS (separated by spaces) in turn, so both workers have served every page of the
-- server (and filled their caches) before anything is measured.

local paths = {}
for path in string.gmatch(os.getenv("WARM_UP_PATHS") or "/", "%S+") do
  table.insert(paths, path)
end

local next_page = 0

function request()
  next_page = next_page % #paths + 1
  return wrk.format("GET", paths[next_page])
end
