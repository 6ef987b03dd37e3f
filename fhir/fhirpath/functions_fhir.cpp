// The FHIR additions (https://hl7.org/fhir/R4/fhirpath.html#functions): extension(), resolve(),
// hasValue(), getValue(), memberOf(), htmlChecks(), conformsTo().
#include "fhir/fhirpath/function_util.h"
#include "fhir/fhirpath/functions.h"
#include "fhir/fhirpath/html_checks.h"

namespace hearth::fhir::fhirpath::detail {
namespace {

constexpr std::string_view kBaseProfile = "http://hl7.org/fhir/StructureDefinition/";

const JsonValue* member(const JsonValue& obj, std::string_view key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(rapidjson::StringRef(key.data(), key.size()));
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

// hasExtension(url) is not in FHIRPath N1 or the R4 function list, but an R4 SearchParameter
// (questionnaireresponse-extensions-QuestionnaireResponse-item-subject) calls it: extension(url)
// exists.
Status fn_has_extension(Call& c);

Status fn_extension(Call& c) {
  auto url = arg_string(c, 0);
  if (!url.is_ok()) return std::move(url).take_status();
  if (!url->has_value()) return Status::ok();
  for (const Item& i : c.input) {
    Collection exts;
    (void)navigate(i, "extension", exts);
    for (Item& e : exts) {
      if (has_extension_url(e, **url)) c.out.push_back(std::move(e));
    }
  }
  return Status::ok();
}

}  // namespace

bool has_extension_url(const Item& item, std::string_view url) {
  const JsonValue* u = item.json != nullptr ? member(*item.json, "url") : nullptr;
  return u != nullptr && is_json_string(*u) && json_string(*u) == url;
}

namespace {

Status fn_has_extension(Call& c) {
  Collection found;
  Call inner{c.ev, c.node, c.input, c.scope, c.args, found};
  HEARTH_RETURN_IF_ERROR(fn_extension(inner));
  return push_bool(c, !found.empty());
}

// A contained resource of `container` with id `id`, or nullptr.
const JsonValue* find_contained(const Item* container, std::string_view id) {
  if (container == nullptr || container->json == nullptr) return nullptr;
  const JsonValue* contained = member(*container->json, "contained");
  if (contained == nullptr || !contained->IsArray()) return nullptr;
  for (const JsonValue& r : contained->GetArray()) {
    const JsonValue* rid = member(r, "id");
    if (rid != nullptr && is_json_string(*rid) && json_string(*rid) == id) return &r;
  }
  return nullptr;
}

// The resource of an entry of the Bundle `root` whose fullUrl is `ref`, or whose type/id is the
// relative reference `ref` (https://hl7.org/fhir/R4/bundle.html#references); nullptr if none.
const JsonValue* find_in_bundle(const Item* root, std::string_view ref) {
  if (root == nullptr || root->json == nullptr || root->type == nullptr ||
      root->type->name != "Bundle") {
    return nullptr;
  }
  const JsonValue* entries = member(*root->json, "entry");
  if (entries == nullptr || !entries->IsArray()) return nullptr;
  for (const JsonValue& e : entries->GetArray()) {
    const JsonValue* resource = member(e, "resource");
    if (resource == nullptr) continue;
    const JsonValue* full = member(e, "fullUrl");
    if (full != nullptr && is_json_string(*full) && json_string(*full) == ref) return resource;
    const JsonValue* type = member(*resource, "resourceType");
    const JsonValue* id = member(*resource, "id");
    if (type == nullptr || id == nullptr || !is_json_string(*type) || !is_json_string(*id)) {
      continue;
    }
    std::string_view t = json_string(*type), i = json_string(*id);
    if (ref.size() == t.size() + 1 + i.size() && ref.starts_with(t) && ref[t.size()] == '/' &&
        ref.ends_with(i)) {
      return resource;
    }
  }
  return nullptr;
}

}  // namespace

const JsonValue* resolve_item(const Item& i, const Item* resource, const Item* root,
                              const EvalOptions& options) {
  std::string_view ref;
  if (i.is_node() && i.json != nullptr && i.json->IsObject()) {
    const JsonValue* r = member(*i.json, "reference");
    if (r == nullptr || !is_json_string(*r)) return nullptr;
    ref = json_string(*r);
  } else if (auto v = system_value(i); v && v->kind == ItemKind::kString) {
    ref = i.is_node() ? json_string(*i.json) : std::string_view(i.text);
  } else {
    return nullptr;
  }
  const JsonValue* target = nullptr;
  if (!ref.empty() && ref[0] == '#') {
    target = find_contained(root, ref.substr(1));
    if (target == nullptr) target = find_contained(resource, ref.substr(1));
  } else {
    target = find_in_bundle(root, ref);
    if (target == nullptr && options.resolver) target = options.resolver(ref);
  }
  return target;
}

namespace {

Status fn_resolve(Call& c) {
  for (const Item& i : c.input) {
    const JsonValue* target =
        resolve_item(i, c.ev.resource(), c.ev.root_resource(), c.ev.options());
    if (target != nullptr) c.out.push_back(resource_item(*target));
  }
  return Status::ok();
}

Status fn_has_value(Call& c) {
  if (c.input.size() != 1) return push_bool(c, false);
  const Item& i = c.input[0];
  bool has = !i.is_node() || (is_fhir_primitive(i) && i.json != nullptr) ||
             (i.type == nullptr && i.json != nullptr && !i.json->IsObject());
  return push_bool(c, has);
}

Status fn_get_value(Call& c) {
  if (c.input.size() != 1) return Status::ok();
  const Item& i = c.input[0];
  if (i.is_node() && !is_fhir_primitive(i)) return Status::ok();
  if (auto v = system_value(i)) c.out.push_back(std::move(*v));
  return Status::ok();
}

Status fn_member_of(Call& c) {
  auto vs = arg_string(c, 0);
  if (!vs.is_ok()) return std::move(vs).take_status();
  if (!vs->has_value() || c.input.empty()) return Status::ok();
  if (c.input.size() > 1) return c.error("memberOf() needs a single item");
  if (!c.ev.options().member_of) return Status::ok();
  auto r = c.ev.options().member_of(c.input[0], **vs);
  if (!r.is_ok()) return c.error(r.status().message());
  return push_bool(c, *r);
}

// The narrative rules of R4 (txt-1/txt-2) are checked by validation; here a div with content
// passes.
// The narrative rules of narrative.html (txt-1, txt-2) on each xhtml item: html_checks.cpp.
Status fn_html_checks(Call& c) {
  for (const Item& i : c.input) {
    auto v = system_value(i);
    if (!v || v->kind != ItemKind::kString || !passes_html_checks(v->text)) {
      return push_bool(c, false);
    }
  }
  return push_bool(c, true);
}

Status fn_conforms_to(Call& c) {
  auto profile = arg_string(c, 0);
  if (!profile.is_ok()) return std::move(profile).take_status();
  if (!profile->has_value() || c.input.empty()) return Status::ok();
  if (c.input.size() > 1) return c.error("conformsTo() needs a single item");
  if (c.ev.options().conforms_to) {
    auto r = c.ev.options().conforms_to(c.input[0], **profile);
    if (!r.is_ok()) return c.error(r.status().message());
    return push_bool(c, *r);
  }
  std::string_view p = **profile;
  if (!p.starts_with(kBaseProfile)) return c.error("unknown profile " + std::string(p));
  std::string_view type = p.substr(kBaseProfile.size());
  if (find_type(type) == nullptr) return c.error("unknown profile " + std::string(p));
  return push_bool(c, is_type(c.input[0], TypeSpec{"FHIR", std::string(type)}));
}

constexpr FunctionDef kFunctions[] = {
    {"extension", 1, 1, ArgMode::kValues, fn_extension},
    {"hasExtension", 1, 1, ArgMode::kValues, fn_has_extension},
    {"resolve", 0, 0, ArgMode::kValues, fn_resolve},
    {"hasValue", 0, 0, ArgMode::kValues, fn_has_value},
    {"getValue", 0, 0, ArgMode::kValues, fn_get_value},
    {"memberOf", 1, 1, ArgMode::kValues, fn_member_of},
    {"htmlChecks", 0, 0, ArgMode::kValues, fn_html_checks},
    {"htmlchecks", 0, 0, ArgMode::kValues, fn_html_checks},  // R4 fhirpath.html's spelling
    {"conformsTo", 1, 1, ArgMode::kValues, fn_conforms_to},
};

}  // namespace

std::span<const FunctionDef> fhir_functions() {
  return kFunctions;
}

}  // namespace hearth::fhir::fhirpath::detail
