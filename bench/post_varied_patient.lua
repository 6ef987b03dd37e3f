-- wrk script of bench/run_search.sh: POST /fhir/Patient with a different Patient each time, so
-- the store fills with searchable variety: 200 family names (one in 200 patients shares each),
-- birth years 1930-2009, both genders, an identifier per patient.
local families = {}
for i = 1, 200 do families[i] = string.format("Family%03d", i) end
local counter = 0
local thread_tag = "0"

function setup(thread)
  thread:set("thread_tag", tostring(math.random(1, 1000000000)))
end

function request()
  counter = counter + 1
  local family = families[(counter % 200) + 1]
  local year = 1930 + (counter % 80)
  local gender = (counter % 2 == 0) and "female" or "male"
  local body = string.format(
    '{"resourceType":"Patient","identifier":[{"system":"urn:bench","value":"%s-%d"}],' ..
    '"name":[{"family":"%s","given":["Given%d","Middle"]}],"gender":"%s",' ..
    '"birthDate":"%d-%02d-%02d","address":[{"city":"City%d","postalCode":"%05d"}],' ..
    '"telecom":[{"system":"phone","value":"555-%04d"}],"active":true}',
    thread_tag, counter, family, counter % 1000, gender, year, (counter % 12) + 1,
    (counter % 28) + 1, counter % 50, counter % 100000, counter % 10000)
  return wrk.format("POST", "/fhir/Patient",
                    {["Content-Type"] = "application/fhir+json", ["Accept"] = "application/fhir+json",
                     ["Prefer"] = "return=minimal"}, body)
end
