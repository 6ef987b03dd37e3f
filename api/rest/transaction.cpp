// POST [base] (transaction and batch Bundles), the conditional create and update of single
// resources and every delete: entries for the entry runner (entry_runner.h), answers built from its
// results.
#include <rapidjson/stringbuffer.h>

#include <functional>
#include <memory>
#include <utility>

#include "api/rest/bundle_entries.h"
#include "api/rest/bundle_links.h"
#include "api/rest/entry_runner.h"
#include "api/rest/interactions.h"
#include "api/rest/json_writer.h"
#include "api/rest/outcome.h"
#include "api/rest/resource_body.h"
#include "api/rest/version_response.h"
#include "core/code_table.h"
#include "core/time_format.h"

namespace hearth::api {
namespace {

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "";
  }
}

std::string status_line(int status) {
  std::string_view reason = reason_phrase(status);
  return std::to_string(status) + (reason.empty() ? "" : " " + std::string(reason));
}

std::string_view header(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

void write_raw_object(JsonWriter& w, std::string_view json) {
  w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

// One Bundle.entry of a transaction-response or batch-response.
void write_entry(JsonWriter& w, const EntryResult& result, const BundleEntry& entry,
                 const Request& request, bool with_resource) {
  w.StartObject();
  if (result.version && !result.version->id.empty()) {
    const storage::ResourceVersion& v = *result.version;
    if (!v.deleted && result.status != 204) {
      w.Key("fullUrl");
      write_str(w, request.base_url + "/" + v.type + "/" + v.id);
      if (with_resource && !v.body.empty()) {
        w.Key("resource");
        write_raw_object(w, v.body);
      }
    }
  } else if (result.response && result.response->status < 300 && !result.response->body.empty() &&
             entry.method == EntryMethod::kGet) {
    w.Key("resource");
    write_raw_object(w, result.response->body);
  }
  w.Key("response");
  w.StartObject();
  w.Key("status");
  write_str(w, status_line(result.status));
  if (result.version && result.version->version > 0 && result.status != 204) {
    const storage::ResourceVersion& v = *result.version;
    w.Key("location");
    write_str(w, v.type + "/" + v.id + "/_history/" + std::to_string(v.version));
    w.Key("etag");
    write_str(w, etag_for(v.version));
    w.Key("lastModified");
    write_str(w, format_instant(v.last_updated_micros));
  } else if (result.response) {
    if (std::string_view etag = header(*result.response, "ETag"); !etag.empty()) {
      w.Key("etag");
      write_str(w, etag);
    }
    if (result.response->status >= 400 && !result.response->body.empty()) {
      w.Key("outcome");
      write_raw_object(w, result.response->body);
    }
  }
  if (!result.error.is_ok()) {
    // hides_details() codes: the generic text only, as for any HTTP answer.
    Response outcome = outcome_response(result.error, ResponseFormat{});
    w.Key("outcome");
    write_raw_object(w, outcome.body);
  }
  w.EndObject();
  w.EndObject();
}

std::string response_bundle(const InteractionContext& ctx, const std::vector<BundleEntry>& entries,
                            const std::vector<EntryResult>& results, bool transaction) {
  const bool with_resource = prefer_return(ctx.request) == PreferReturn::kRepresentation;
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  write_bundle_head(w, ctx.ids.next_id(), ctx.clock.now_micros(),
                    transaction ? "transaction-response" : "batch-response");
  w.Key("entry");
  w.StartArray();
  for (std::size_t i = 0; i < results.size(); ++i) {
    write_entry(w, results[i], entries[i], ctx.request, with_resource);
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

EntryContext entry_context(const InteractionContext& ctx) {
  return EntryContext{ctx.store, ctx.clock, ctx.ids, ctx.limits, ctx.request};
}

// A single REST request as the one entry of a transaction.
BundleEntry rest_entry(const InteractionContext& ctx, EntryMethod method,
                       fhir::JsonDocument* resource) {
  BundleEntry entry;
  entry.method = method;
  entry.route = ctx.route;
  entry.query = ctx.request.query;
  entry.url = ctx.route.type;
  for (std::size_t i = 0; i < ctx.request.query.size(); ++i) {
    const auto& [name, value] = ctx.request.query[i];
    entry.url += (i == 0 ? "?" : "&") + name + "=" + value;
  }
  entry.if_none_exist = ctx.request.if_none_exist;
  entry.if_match = ctx.request.if_match;
  if (resource != nullptr) {
    entry.resource = resource;
    entry.allocator = &resource->GetAllocator();
  }
  return entry;
}

}  // namespace

void transaction_interaction(const InteractionContext& ctx, Respond respond) {
  auto bundle = parse_body(ctx.request, ctx.limits.xml);
  if (!bundle.is_ok()) return respond(failed(bundle.status()));
  auto doc = std::make_shared<fhir::JsonDocument>(std::move(bundle).value());
  const Status valid = check_resource(*doc, "Bundle");
  if (valid.code() == Code::kMalformed) return respond(failed(valid));
  BundleKind kind;
  auto entries = read_bundle_entries(*doc, ctx.request.base_url, kind);
  // A batch answers an invalid entry alone; a transaction, or an error outside the entries,
  // fails the request.
  if (!valid.is_ok() &&
      (!entries.is_ok() || kind.transaction || !confine_issues_to_entries(valid, *entries))) {
    return respond(failed(valid));
  }
  if (!entries.is_ok()) return respond(failed(entries.status()));
  auto work = std::make_shared<EntryWork>(entry_context(ctx));
  work->keep = doc;
  work->entries = std::move(entries).value();
  const bool transaction = kind.transaction;
  auto answer = [ctx, work, transaction,
                 respond = std::move(respond)](Result<std::vector<EntryResult>> results) {
    respond([ctx, work, transaction, results = std::move(results)]() -> Result<Response> {
      if (!results.is_ok()) return results.status();
      return fhir_response(200, response_bundle(ctx, work->entries, *results, transaction),
                           ctx.format);
    });
  };
  if (transaction) return run_transaction(std::move(work), std::move(answer));
  run_batch(std::move(work), std::move(answer));
}

namespace {

// A single REST request as a transaction of its one entry; `doc` (the decoded body, if any)
// is what the entry's resource lives in. The continuation gets the entry's result.
void run_rest_entry(const InteractionContext& ctx, BundleEntry entry,
                    std::shared_ptr<fhir::JsonDocument> doc,
                    std::function<void(Result<EntryResult>)> done) {
  auto work = std::make_shared<EntryWork>(entry_context(ctx));
  work->keep = std::move(doc);
  work->entries.push_back(std::move(entry));
  run_transaction(std::move(work),
                  [done = std::move(done)](Result<std::vector<EntryResult>> results) {
                    if (!results.is_ok()) return done(results.status());
                    done(std::move((*results)[0]));
                  });
}

// The conditional create and update: the decoded body as the one entry, answered as a write.
void run_conditional_write(const InteractionContext& ctx, EntryMethod method, Respond respond) {
  auto decoded = decode_resource(ctx.request, ctx.route.type, ctx.limits.xml);
  if (!decoded.is_ok()) return respond(failed(decoded.status()));
  auto doc = std::make_shared<fhir::JsonDocument>(std::move(decoded).value());
  BundleEntry entry = rest_entry(ctx, method, doc.get());
  if (method == EntryMethod::kPut) entry.if_none_exist.clear();
  run_rest_entry(ctx, std::move(entry), std::move(doc),
                 [ctx, respond = std::move(respond)](Result<EntryResult> result) {
                   respond([ctx, result = std::move(result)]() -> Result<Response> {
                     if (!result.is_ok()) return result.status();
                     return write_response(result->status, *result->version, ctx.request,
                                           ctx.format);
                   });
                 });
}

// DELETE Type/id and DELETE Type?criteria: the answer: 200 with an OperationOutcome saying what was
// deleted (204 for Prefer: return=minimal); the ETag of the deletion when exactly one resource
// went.
Response delete_response(const InteractionContext& ctx, const EntryResult& result) {
  const bool literal = ctx.route.interaction == Interaction::kDelete;
  const std::string what = ctx.route.type + "/" + ctx.route.id;
  Response response;
  if (prefer_return(ctx.request) == PreferReturn::kMinimal) {
    response.status = 204;
  } else {
    std::string text;
    if (literal) {
      text =
          result.deleted == 1 ? "deleted " + what : what + " was already absent; nothing deleted";
    } else {
      text = result.deleted == 0
                 ? "no " + ctx.route.type + " matched; nothing deleted"
                 : "deleted " + std::to_string(result.deleted) + " " + ctx.route.type +
                       (result.deleted == 1 ? " (" + result.version->id + ")" : std::string());
    }
    response = fhir_response(200, information_outcome_json(text, false), ctx.format);
  }
  if (result.deleted == 1) response.headers.emplace_back("ETag", etag_for(result.version->version));
  return response;
}

}  // namespace

void conditional_create_interaction(const InteractionContext& ctx, Respond respond) {
  run_conditional_write(ctx, EntryMethod::kPost, std::move(respond));
}

void conditional_update_interaction(const InteractionContext& ctx, Respond respond) {
  run_conditional_write(ctx, EntryMethod::kPut, std::move(respond));
}

void delete_interaction(const InteractionContext& ctx, Respond respond) {
  BundleEntry entry = rest_entry(ctx, EntryMethod::kDelete, nullptr);
  entry.if_none_exist.clear();
  run_rest_entry(ctx, std::move(entry), nullptr,
                 [ctx, respond = std::move(respond)](Result<EntryResult> done) {
                   respond([ctx, done = std::move(done)]() -> Result<Response> {
                     if (!done.is_ok()) return done.status();
                     return delete_response(ctx, *done);
                   });
                 });
}

}  // namespace hearth::api
