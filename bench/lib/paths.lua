-- wrk script of bench/lib/search_server.sh (wrk_case NAME PATHS_FILE): each request is a GET of
-- the next line of the file named by $BENCH_PATHS (a path with its query, e.g.
-- /fhir/Patient?identifier=...), so a case's parameters change from one request to the next.
-- Each thread starts at its own place in the list and wraps around.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
local threads = 0
local next_path = 1

function setup(thread)
  threads = threads + 1
  thread:set("next_path", 1 + (threads * 7919) % #paths)
end

function request()
  local path = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", path)
end
