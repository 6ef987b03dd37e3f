-- wrk script of bench/run_scaleout.sh: a mixed load, in a fixed cycle of 10 requests per
-- connection: 4 creates (POST Patient, a fresh identifier each), 3 searches (by family name,
-- 200 names), 2 reads and 1 update of 20 shared Patients (PUT without If-Match: the updates of
-- every replica meet on the same rows). The shared Patients are made by the driver first.
-- Non-2xx answers are counted by wrk ("Non-2xx or 3xx responses") and reported by the driver.
local counter = 0
local thread_tag = "0"
local json = {["Content-Type"] = "application/fhir+json", ["Accept"] = "application/fhir+json",
              ["Prefer"] = "return=minimal"}

function setup(thread)
  thread:set("thread_tag", tostring(math.random(1, 1000000000)))
end

function request()
  counter = counter + 1
  local step = counter % 10
  local family = string.format("Scale%03d", counter % 200)
  if step < 4 then
    local body = string.format(
      '{"resourceType":"Patient","identifier":[{"system":"urn:bench:scaleout","value":"%s-%d"}],' ..
      '"name":[{"family":"%s","given":["Given%d"]}],"gender":"female","birthDate":"1970-01-%02d"}',
      thread_tag, counter, family, counter % 1000, (counter % 28) + 1)
    return wrk.format("POST", "/fhir/Patient", json, body)
  elseif step < 7 then
    return wrk.format("GET", "/fhir/Patient?family=" .. family .. "&_count=10", json)
  elseif step < 9 then
    return wrk.format("GET", string.format("/fhir/Patient/shared-%d", counter % 20), json)
  end
  local id = string.format("shared-%d", counter % 20)
  local body = string.format(
    '{"resourceType":"Patient","id":"%s","name":[{"family":"Shared","given":["U%s-%d"]}]}',
    id, thread_tag, counter)
  return wrk.format("PUT", "/fhir/Patient/" .. id, json, body)
end
