-- wrk script of bench/run.sh case c: every request is POST /fhir/Patient (a create) with the
-- Patient in $BENCH_BODY (default bench/data/patient-2k.json, relative to the working directory).
-- No response() hook: it would make wrk parse every response in Lua and slow the client down;
-- run.sh reads wrk's "Non-2xx or 3xx responses" count instead, after checking one create by hand.
local path = os.getenv("BENCH_BODY") or "bench/data/patient-2k.json"
local file = assert(io.open(path, "rb"), "cannot open " .. path)
local body = file:read("*a")
file:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/fhir+json"
wrk.headers["Accept"] = "application/fhir+json"
