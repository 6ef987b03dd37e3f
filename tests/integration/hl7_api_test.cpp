// The HL7 archive's operating API end to end: messages sent over MLLP to the real binary, then
// listed, read and replayed over HTTP under /hl7. Every message of a run has its own MSH-9
// (ZHL^<unique>), so a shared PostgreSQL archive ($HEARTH_TEST_STORE) does not disturb the
// type-filtered lists.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "harness.h"
#include "mllp_harness.h"

namespace {

using namespace hearth::testing;

std::string message(const std::string& trigger, std::string_view control_id, std::string_view value,
                    std::string_view version = "2.5.1") {
  return "MSH|^~\\&|APITEST|HOSP|HEARTH|HUB|20260309140000||ZHL^" + trigger + "|" +
         std::string(control_id) + "|P|" + std::string(version) +
         "\rPID|1||67890^^^MRN||O\\S\\NEIL^JANE\rOBX|1|NM|WBC^White Blood Cell Count^LN||" +
         std::string(value) + "|10*3/uL\r";
}

rapidjson::Document json(const HttpResponse& response) {
  rapidjson::Document doc;
  doc.Parse(response.body.data(), response.body.size());
  REQUIRE_MESSAGE(!doc.HasParseError(), response.body);
  return doc;
}

std::string str(const rapidjson::Value& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

std::vector<std::string> statuses(const rapidjson::Document& list) {
  std::vector<std::string> out;
  for (const auto& m : list["messages"].GetArray()) out.push_back(str(m["status"]));
  return out;
}

const hearth::testing::Headers kJson = {{"Content-Type", "application/json"}};

TEST_CASE("hl7 api: messages sent over MLLP are listed, read and replayed over HTTP") {
  ServerProcess server;
  REQUIRE(server.mllp_port() != 0);
  const std::string trigger = unique_name("Z");
  const std::string type_query = "type=ZHL%5E" + trigger;
  MllpClient mllp("127.0.0.1", server.mllp_port());
  // Control ids of this run only: a shared PostgreSQL database keeps earlier runs' messages, and
  // a reused id names the first message that had it.
  const std::string c1 = unique_name("C");
  const std::string accepted = message(trigger, c1, "7.5");
  const std::string reused = message(trigger, c1, "9.9");
  const std::string unsupported = message(trigger, unique_name("C"), "7.5", "2.9");
  CHECK(msa(mllp.exchange(accepted), 1) == "AA");
  CHECK(msa(mllp.exchange(reused), 1) == "AA");  // a new message under a reused control id
  CHECK(msa(mllp.exchange(unsupported), 1) == "AR");

  auto client = server.client();
  HttpResponse listed = client.get("/hl7/messages?" + type_query);
  REQUIRE(listed.status == 200);
  CHECK(listed.header("Content-Type") == "application/json; charset=utf-8");
  auto list = json(listed);
  CHECK(statuses(list) == std::vector<std::string>{"rejected", "accepted", "accepted"});
  const auto& newest = list["messages"][0];
  CHECK(str(newest["type"]) == "ZHL^" + trigger);
  CHECK(str(newest["ackCode"]) == "AR");
  CHECK(str(newest["sender"]) == "APITEST|HOSP");
  CHECK(str(newest["version"]) == "2.9");
  const std::int64_t accepted_id = list["messages"][2]["id"].GetInt64();
  const std::int64_t reused_id = list["messages"][1]["id"].GetInt64();
  const std::int64_t rejected_id = newest["id"].GetInt64();
  CHECK(str(list["messages"][2]["self"]) == "http://127.0.0.1:" + std::to_string(server.port()) +
                                                "/hl7/messages/" + std::to_string(accepted_id));
  CHECK(str(list["messages"][1]["note"]).rfind("control-id-reused: ", 0) == 0);
  CHECK(str(list["messages"][1]["note"])
            .find("already used by message " + std::to_string(accepted_id)) != std::string::npos);

  auto rejects = json(client.get("/hl7/messages?status=rejected&" + type_query));
  CHECK(statuses(rejects) == std::vector<std::string>{"rejected"});

  // Paging: two, then the next link (absolute) for the last one.
  auto first_page = json(client.get("/hl7/messages?" + type_query + "&_count=2"));
  CHECK(first_page["count"].GetInt() == 2);
  REQUIRE(first_page.HasMember("next"));
  auto second_page = json(client.get(str(first_page["next"])));
  CHECK(statuses(second_page) == std::vector<std::string>{"accepted"});
  CHECK(second_page["messages"][0]["id"].GetInt64() == accepted_id);
  CHECK_FALSE(second_page.HasMember("next"));

  // One message: the raw text as received over MLLP, its ACK, the decoded view.
  auto read = json(client.get("/hl7/messages/" + std::to_string(accepted_id)));
  CHECK(str(read["raw"]) == accepted);
  CHECK(str(read["ack"]).find("MSA|AA|" + c1) != std::string::npos);
  CHECK(str(read["parsed"]["segments"][1]["fields"]["5"][0]) == "O^NEIL");
  auto rejected = json(client.get("/hl7/messages/" + std::to_string(rejected_id)));
  CHECK(rejected["parsed"].IsNull());
  CHECK(rejected["parseError"]["code"].GetInt() == 203);
  CHECK(str(rejected["parseError"]["location"]).find("MSH") == 0);

  // Replay: an accepted one is a duplicate of itself (nothing stored), the rejected one is
  // rejected again in a new row.
  HttpResponse again =
      client.post("/hl7/messages/" + std::to_string(accepted_id) + "/$replay", "", kJson);
  REQUIRE(again.status == 200);
  auto duplicate = json(again);
  CHECK(duplicate["duplicate"].GetBool());
  CHECK(duplicate["archiveId"].GetInt64() == accepted_id);
  CHECK(str(duplicate["ackCode"]) == "AA");
  auto reused_again =
      json(client.post("/hl7/messages/" + std::to_string(reused_id) + "/$replay", "", kJson));
  CHECK(reused_again["duplicate"].GetBool());
  CHECK(reused_again["archiveId"].GetInt64() == reused_id);
  CHECK(json(client.get("/hl7/messages?" + type_query))["count"].GetInt() == 3);
  auto replayed =
      json(client.post("/hl7/messages/" + std::to_string(rejected_id) + "/$replay", "", kJson));
  CHECK_FALSE(replayed["duplicate"].GetBool());
  CHECK(str(replayed["status"]) == "rejected");
  CHECK(str(replayed["ackCode"]) == "AR");
  auto after = json(client.get("/hl7/messages?" + type_query));
  CHECK(after["count"].GetInt() == 4);
  CHECK(str(after["messages"][0]["peer"]) == "replay:" + std::to_string(rejected_id));

  // Errors are OperationOutcomes; the FHIR base is untouched.
  HttpResponse bad = client.get("/hl7/messages?status=ok");
  CHECK(bad.status == 400);
  CHECK(json(bad)["resourceType"] == "OperationOutcome");
  CHECK(client.get("/hl7/messages/999999999").status == 404);
  CHECK(client.get("/hl7/messages/x").status == 400);
  CHECK(client.get("/hl7/other").status == 404);
  CHECK(client.get("/hl7").status == 404);
  HttpResponse wrong = client.del("/hl7/messages/" + std::to_string(accepted_id));
  CHECK(wrong.status == 405);
  CHECK(wrong.header("Allow") == "GET");
  CHECK(client.get("/hl7x").status == 404);
  CHECK(client.get("metadata").status == 200);
  // The access log names the parameters, never their values.
  CHECK(server.wait_for_log("GET /hl7/messages?type= 200"));
  for (const std::string& line : server.log_lines()) {
    CHECK(line.find("ZHL%5E") == std::string::npos);
  }
  CHECK(server.wait_for_log("POST /hl7/messages/" + std::to_string(rejected_id) + "/$replay 200"));
}

}  // namespace
