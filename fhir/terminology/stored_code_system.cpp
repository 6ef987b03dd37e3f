// Compiling a CodeSystem resource's concept tree: depth first, so that a concept's descendants
// follow it, as the generator lays out the built-in ones.
#include "fhir/terminology/stored_code_system.h"

#include <algorithm>
#include <set>

#include "fhir/terminology/resource_fields.h"

namespace hearth::fhir::terminology {
namespace {

using detail::invalid_member;
using detail::string_member;

std::string folded(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// The flags of a concept's properties.
std::uint8_t flags_of(const JsonValue& node) {
  std::uint8_t flags = 0;
  auto props = node.FindMember("property");
  if (props == node.MemberEnd() || !props->value.IsArray()) return flags;
  for (const JsonValue& p : props->value.GetArray()) {
    if (!p.IsObject()) continue;
    std::string_view code = string_member(p, "code");
    auto b = p.FindMember("valueBoolean");
    bool is_true = b != p.MemberEnd() && b->value.IsBool() && b->value.GetBool();
    if ((code == "notSelectable" || code == "abstract") && is_true) flags |= kConceptNotSelectable;
    if (code == "inactive" && is_true) flags |= kConceptInactive;
    std::string_view status = string_member(p, "valueCode");
    if (code == "status" && (status == "deprecated" || status == "retired")) {
      flags |= kConceptInactive;
    }
  }
  return flags;
}

class Builder {
 public:
  Builder(std::vector<Concept>& concepts, std::vector<std::string>& texts, bool case_sensitive)
      : concepts_(concepts), texts_(texts), case_sensitive_(case_sensitive) {}

  Status add_list(const JsonValue& list, const std::string& where, std::int32_t parent, int depth) {
    if (!list.IsArray()) return invalid_member("concept must be an array", where);
    if (depth > kMaxConceptDepth) {
      return invalid_member("concepts nest deeper than " + std::to_string(kMaxConceptDepth), where);
    }
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
      std::string at = where + "[" + std::to_string(i) + "]";
      const JsonValue& c = list[i];
      if (!c.IsObject()) return invalid_member("a concept is not an object", at);
      std::string_view code = string_member(c, "code");
      if (code.empty()) return invalid_member("a concept needs a code", at + ".code");
      if (code.size() > kMaxCodeLength) {
        return invalid_member("a code longer than " + std::to_string(kMaxCodeLength) + " bytes",
                              at + ".code");
      }
      if (!seen_.insert(case_sensitive_ ? std::string(code) : folded(code)).second) {
        return invalid_member("the code '" + std::string(code.substr(0, 64)) + "' is defined twice",
                              at + ".code");
      }
      if (concepts_.size() >= kMaxStoredConcepts) {
        return invalid_member("more than " + std::to_string(kMaxStoredConcepts) + " concepts", at);
      }
      auto index = static_cast<std::uint32_t>(concepts_.size());
      Concept& added = concepts_.emplace_back();
      added.code = text(code);
      added.display = text(string_member(c, "display"));
      added.parent = parent;
      added.flags = flags_of(c);
      if (auto kids = c.FindMember("concept"); kids != c.MemberEnd()) {
        HEARTH_RETURN_IF_ERROR(
            add_list(kids->value, at + ".concept", static_cast<std::int32_t>(index), depth + 1));
      }
      concepts_[index].subtree_end = static_cast<std::uint32_t>(concepts_.size());
    }
    return Status::ok();
  }

 private:
  std::uint32_t text(std::string_view s) {
    texts_.emplace_back(s);
    return static_cast<std::uint32_t>(texts_.size() - 1);
  }

  std::vector<Concept>& concepts_;
  std::vector<std::string>& texts_;
  bool case_sensitive_;
  std::set<std::string> seen_;
};

}  // namespace

Result<std::shared_ptr<const CompiledCodeSystem>> compile_code_system(const JsonValue& resource) {
  if (!resource.IsObject() || string_member(resource, "resourceType") != "CodeSystem") {
    return invalid_member("not a CodeSystem", "CodeSystem");
  }
  std::shared_ptr<CompiledCodeSystem> out(new CompiledCodeSystem());
  std::string_view url = string_member(resource, "url");
  if (url.empty()) return invalid_member("a code system needs a url", "CodeSystem.url");
  out->url_ = std::string(url.substr(0, url.find('|')));
  out->name_ = std::string(string_member(resource, "name"));
  out->title_ = std::string(string_member(resource, "title"));
  out->version_ = std::string(string_member(resource, "version"));
  // FHIR: caseSensitive has no default; the built-in tables treat a missing one as sensitive.
  bool case_sensitive = true;
  if (auto cs = resource.FindMember("caseSensitive");
      cs != resource.MemberEnd() && cs->value.IsBool()) {
    case_sensitive = cs->value.GetBool();
  }
  if (auto list = resource.FindMember("concept"); list != resource.MemberEnd()) {
    Builder builder(out->concepts_, out->texts_, case_sensitive);
    HEARTH_RETURN_IF_ERROR(builder.add_list(list->value, "CodeSystem.concept", -1, 1));
  }
  out->by_code_.resize(out->concepts_.size());
  for (std::uint32_t i = 0; i < out->by_code_.size(); ++i) out->by_code_[i] = i;
  const std::vector<std::string>& texts = out->texts_;
  const std::vector<Concept>& concepts = out->concepts_;
  std::sort(out->by_code_.begin(), out->by_code_.end(), [&](std::uint32_t a, std::uint32_t b) {
    return texts[concepts[a].code] < texts[concepts[b].code];
  });
  out->view_ = CodeSystem{out->url_,      out->name_,     out->title_,   out->version_,
                          case_sensitive, out->concepts_, out->by_code_, out->texts_.data()};
  return std::shared_ptr<const CompiledCodeSystem>(std::move(out));
}

}  // namespace hearth::fhir::terminology
