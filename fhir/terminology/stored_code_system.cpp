// Compiling a CodeSystem resource's concept tree: depth first, so that a concept's descendants
// follow it, as the generator lays out the built-in ones; then, when properties name parents or
// children, the hierarchy graph (concept_graph.h).
#include "fhir/terminology/stored_code_system.h"

#include <algorithm>
#include <map>
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

constexpr std::string_view kParentUri = "http://hl7.org/fhir/concept-properties#parent";
constexpr std::string_view kChildUri = "http://hl7.org/fhir/concept-properties#child";

// The property codes that name a parent or a child: `parent` and `child` (reserved by FHIR)
// unless declared with another uri, and any code declared with the uri of either.
struct LinkCodes {
  std::set<std::string, std::less<>> parent{"parent"}, child{"child"};

  explicit LinkCodes(const JsonValue& resource) {
    auto declared = resource.FindMember("property");
    if (declared == resource.MemberEnd() || !declared->value.IsArray()) return;
    for (const JsonValue& p : declared->value.GetArray()) {
      std::string code(string_member(p, "code")), uri(string_member(p, "uri"));
      if (code.empty() || uri.empty()) continue;
      parent.erase(code);
      child.erase(code);
      if (uri == kParentUri) parent.insert(code);
      if (uri == kChildUri) child.insert(code);
    }
  }
};

// A link a property names, resolved once every code is known.
struct PendingLink {
  std::uint32_t concept_index;
  bool names_parent;  // else it names a child
  std::string code;
  std::string path;  // of the valueCode
};

class Builder {
 public:
  Builder(std::vector<Concept>& concepts, std::vector<std::string>& texts, bool case_sensitive,
          const LinkCodes& link_codes)
      : concepts_(concepts),
        texts_(texts),
        case_sensitive_(case_sensitive),
        link_codes_(link_codes) {}

  // The concept with `code` (folded as the system says), or -1.
  std::int64_t index_of(std::string_view code) const {
    auto it = seen_.find(case_sensitive_ ? std::string(code) : folded(code));
    return it == seen_.end() ? -1 : static_cast<std::int64_t>(it->second);
  }
  std::vector<PendingLink>& links() { return links_; }

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
      const auto index = static_cast<std::uint32_t>(concepts_.size());
      if (!seen_.emplace(case_sensitive_ ? std::string(code) : folded(code), index).second) {
        return invalid_member("the code '" + std::string(code.substr(0, 64)) + "' is defined twice",
                              at + ".code");
      }
      if (concepts_.size() >= kMaxStoredConcepts) {
        return invalid_member("more than " + std::to_string(kMaxStoredConcepts) + " concepts", at);
      }
      Concept& added = concepts_.emplace_back();
      added.code = text(code);
      added.display = text(string_member(c, "display"));
      added.parent = parent;
      added.flags = flags_of(c);
      HEARTH_RETURN_IF_ERROR(add_links(c, at, index));
      if (auto kids = c.FindMember("concept"); kids != c.MemberEnd()) {
        HEARTH_RETURN_IF_ERROR(
            add_list(kids->value, at + ".concept", static_cast<std::int32_t>(index), depth + 1));
      }
      concepts_[index].subtree_end = static_cast<std::uint32_t>(concepts_.size());
    }
    return Status::ok();
  }

 private:
  // The links the concept's properties name (a code per valueCode), checked later.
  Status add_links(const JsonValue& c, const std::string& at, std::uint32_t index) {
    auto props = c.FindMember("property");
    if (props == c.MemberEnd() || !props->value.IsArray()) return Status::ok();
    for (rapidjson::SizeType j = 0; j < props->value.Size(); ++j) {
      const JsonValue& p = props->value[j];
      std::string_view code = string_member(p, "code");
      bool names_parent = link_codes_.parent.contains(code);
      if (!names_parent && !link_codes_.child.contains(code)) continue;
      std::string path = at + ".property[" + std::to_string(j) + "]";
      std::string_view value = string_member(p, "valueCode");
      if (value.empty()) {
        return invalid_member(
            "a " + std::string(names_parent ? "parent" : "child") + " property needs a valueCode",
            path);
      }
      if (links_.size() + concepts_.size() >= kMaxHierarchyLinks) {
        return invalid_member(
            "more than " + std::to_string(kMaxHierarchyLinks) + " links in the hierarchy", path);
      }
      links_.push_back({index, names_parent, std::string(value), path + ".valueCode"});
    }
    return Status::ok();
  }

  std::uint32_t text(std::string_view s) {
    texts_.emplace_back(s);
    return static_cast<std::uint32_t>(texts_.size() - 1);
  }

  std::vector<Concept>& concepts_;
  std::vector<std::string>& texts_;
  bool case_sensitive_;
  const LinkCodes& link_codes_;
  std::map<std::string, std::uint32_t, std::less<>> seen_;  // code (folded) -> concept index
  std::vector<PendingLink> links_;
};

// The hierarchy graph of the concepts compiled by `builder`, when their properties name links.
Result<ConceptGraphData> graph_of(Builder& builder, const std::vector<Concept>& concepts,
                                  const std::vector<std::string>& texts) {
  std::vector<ConceptLink> links;
  links.reserve(concepts.size() + builder.links().size());
  for (std::uint32_t i = 0; i < concepts.size(); ++i) {
    if (concepts[i].parent >= 0) {
      links.push_back({static_cast<std::uint32_t>(concepts[i].parent), i, {}});
    }
  }
  for (PendingLink& l : builder.links()) {
    std::int64_t other = builder.index_of(l.code);
    if (other < 0) {
      return invalid_member("the " + std::string(l.names_parent ? "parent" : "child") + " '" +
                                l.code.substr(0, 64) + "' is not a code of this system",
                            l.path);
    }
    auto o = static_cast<std::uint32_t>(other);
    links.push_back(l.names_parent ? ConceptLink{o, l.concept_index, std::move(l.path)}
                                   : ConceptLink{l.concept_index, o, std::move(l.path)});
  }
  return build_concept_graph(
      concepts.size(), std::move(links), kMaxConceptDepth,
      [&](std::uint32_t i) -> std::string_view { return texts[concepts[i].code]; });
}

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
  const LinkCodes link_codes(resource);
  Builder builder(out->concepts_, out->texts_, case_sensitive, link_codes);
  if (auto list = resource.FindMember("concept"); list != resource.MemberEnd()) {
    HEARTH_RETURN_IF_ERROR(builder.add_list(list->value, "CodeSystem.concept", -1, 1));
  }
  const ConceptGraph* graph = nullptr;
  if (!builder.links().empty()) {
    HEARTH_ASSIGN_OR_RETURN(out->graph_data_, graph_of(builder, out->concepts_, out->texts_));
    out->graph_ = out->graph_data_.view();
    graph = &out->graph_;
  }
  out->by_code_.resize(out->concepts_.size());
  for (std::uint32_t i = 0; i < out->by_code_.size(); ++i) out->by_code_[i] = i;
  const std::vector<std::string>& texts = out->texts_;
  const std::vector<Concept>& concepts = out->concepts_;
  std::sort(out->by_code_.begin(), out->by_code_.end(), [&](std::uint32_t a, std::uint32_t b) {
    return texts[concepts[a].code] < texts[concepts[b].code];
  });
  out->view_ =
      CodeSystem{out->url_,      out->name_,    out->title_,        out->version_, case_sensitive,
                 out->concepts_, out->by_code_, out->texts_.data(), graph};
  return std::shared_ptr<const CompiledCodeSystem>(std::move(out));
}

}  // namespace hearth::fhir::terminology
