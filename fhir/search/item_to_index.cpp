// One FHIRPath result item -> index rows, by the parameter's type and the item's FHIR type
// (R4 search.html, the table under each parameter type).
#include "fhir/search/item_to_index.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>

#include "fhir/fhirpath/fhirpath.h"
#include "fhir/json.h"
#include "fhir/search/date_range.h"
#include "fhir/search/text_fold.h"
#include "fhir/search/ucum.h"

namespace hearth::fhir::search::detail {
namespace {

using fhirpath::Item;
using fhirpath::ItemKind;

const JsonValue* member(const JsonValue& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// The string at `value`, "" when absent or not a string.
std::string_view string_at(const JsonValue* value) {
  return value != nullptr && is_json_string(*value) ? json_string(*value) : std::string_view();
}

std::string_view member_string(const JsonValue& object, const char* name) {
  return string_at(member(object, name));
}

// Calls f for each non-empty string of a string element or a repeating one.
template <class F>
void each_string(const JsonValue* value, F&& f) {
  if (value == nullptr) return;
  if (value->IsArray()) {
    for (const JsonValue& e : value->GetArray()) {
      if (std::string_view s = string_at(&e); !s.empty()) f(s);
    }
  } else if (std::string_view s = string_at(value); !s.empty()) {
    f(s);
  }
}

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (n == name) return true;
  }
  return false;
}

// A primitive value as (FHIR type name, text). Values the expression computed (System types)
// are named after their FHIR counterparts; their text is owned here.
struct Primitive {
  std::string_view type;
  std::string_view text;
  std::string owned;
};

bool read_primitive(const Item& item, Primitive& p) {
  if (item.is_node()) {
    if (item.type == nullptr || item.type->kind != TypeKind::kPrimitive || item.json == nullptr) {
      return false;
    }
    p.type = item.type->name;
    const JsonValue& j = *item.json;
    if (is_json_string(j)) {
      p.text = json_string(j);
    } else if (is_json_number(j)) {
      p.text = json_number_text(j);
    } else if (j.IsBool()) {
      p.text = j.GetBool() ? "true" : "false";
    } else {
      return false;
    }
    return !p.text.empty();
  }
  switch (item.kind) {
    case ItemKind::kBoolean: p.type = "boolean"; break;
    case ItemKind::kInteger: p.type = "integer"; break;
    case ItemKind::kDecimal: p.type = "decimal"; break;
    case ItemKind::kString: p.type = "string"; break;
    case ItemKind::kDate: p.type = "date"; break;
    case ItemKind::kDateTime: p.type = "dateTime"; break;
    default: return false;
  }
  auto text = fhirpath::to_string(item);
  if (!text || text->empty()) return false;
  p.owned = std::move(*text);
  p.text = p.owned;
  return true;
}

bool parse_number(std::string_view text, double& out) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parse_number(const JsonValue* value, double& out) {
  return value != nullptr && is_json_number(*value) && parse_number(json_number_text(*value), out);
}

// --- string -----------------------------------------------------------------------------

void add_string(std::string_view code, std::string_view text, IndexValues& out) {
  if (text.empty()) return;
  out.strings.push_back({.param = code, .folded = fold_text(text), .exact = std::string(text)});
}

void string_rows(std::string_view code, const Item& item, IndexValues& out) {
  auto add = [&](std::string_view s) { add_string(code, s, out); };
  Primitive p;
  if (read_primitive(item, p)) {
    if (one_of(p.type, {"string", "markdown", "code", "id", "uri", "url", "canonical"})) {
      add(p.text);
    }
    return;
  }
  if (item.type == nullptr || item.json == nullptr) return;
  const JsonValue& j = *item.json;
  if (item.type->name == "HumanName") {
    each_string(member(j, "family"), add);
    each_string(member(j, "given"), add);
    each_string(member(j, "prefix"), add);
    each_string(member(j, "suffix"), add);
    each_string(member(j, "text"), add);
  } else if (item.type->name == "Address") {
    each_string(member(j, "line"), add);
    for (const char* part : {"city", "district", "state", "postalCode", "country", "text"}) {
      each_string(member(j, part), add);
    }
  }
}

// --- token ------------------------------------------------------------------------------

void add_token(std::string_view code, std::string_view system, std::string_view value,
               std::string_view text, IndexValues& out) {
  if (system.empty() && value.empty() && text.empty()) return;
  out.tokens.push_back({.param = code,
                        .system = std::string(system),
                        .code = std::string(value),
                        .text = text.empty() ? std::string() : fold_text(text)});
}

void coding_row(std::string_view code, const JsonValue& coding, IndexValues& out) {
  add_token(code, member_string(coding, "system"), member_string(coding, "code"),
            member_string(coding, "display"), out);
}

void token_rows(std::string_view code, const Item& item, IndexValues& out) {
  Primitive p;
  if (read_primitive(item, p)) {
    if (one_of(p.type,
               {"code", "string", "id", "uri", "url", "canonical", "oid", "uuid", "boolean"})) {
      add_token(code, "", p.text, "", out);
    }
    return;
  }
  if (item.type == nullptr || item.json == nullptr) return;
  const JsonValue& j = *item.json;
  std::string_view type = item.type->name;
  if (type == "Coding") {
    coding_row(code, j, out);
  } else if (type == "CodeableConcept") {
    const std::size_t first = out.tokens.size();
    if (const JsonValue* codings = member(j, "coding"); codings != nullptr && codings->IsArray()) {
      for (const JsonValue& c : codings->GetArray()) coding_row(code, c, out);
    }
    // The text on a row of its own, unless a coding's row already carries it as its display
    // (the common case): `:text` matches any row's text, so that row would say nothing new.
    if (const std::string_view text = member_string(j, "text"); !text.empty()) {
      std::string folded = fold_text(text);
      const bool carried =
          std::any_of(out.tokens.begin() + static_cast<std::ptrdiff_t>(first), out.tokens.end(),
                      [&](const TokenIndex& row) { return row.text == folded; });
      if (!carried)
        out.tokens.push_back({.param = code, .system = {}, .code = {}, .text = std::move(folded)});
    }
  } else if (type == "Identifier") {
    std::string_view type_text;
    if (const JsonValue* t = member(j, "type")) type_text = member_string(*t, "text");
    std::string_view system = member_string(j, "system");
    std::string_view value = member_string(j, "value");
    if (!system.empty() || !value.empty()) add_token(code, system, value, type_text, out);
    // identifier:of-type=system|code|value
    const JsonValue* type = member(j, "type");
    const JsonValue* codings = type == nullptr ? nullptr : member(*type, "coding");
    if (!value.empty() && codings != nullptr && codings->IsArray()) {
      for (const JsonValue& c : codings->GetArray()) {
        const std::string_view type_system = member_string(c, "system");
        const std::string_view type_code = member_string(c, "code");
        if (type_system.empty() || type_code.empty()) continue;
        add_token(code, of_type_system(type_system, type_code), value, "", out);
      }
    }
  } else if (type == "ContactPoint") {
    // system|value: `telecom=phone|555-2003` (search.html#token, ContactPoint).
    if (std::string_view value = member_string(j, "value"); !value.empty()) {
      add_token(code, member_string(j, "system"), value, "", out);
    }
  }
}

// --- date -------------------------------------------------------------------------------

void add_date(std::string_view code, std::string_view text, IndexValues& out) {
  if (auto r = date_range(text)) {
    out.dates.push_back({.param = code, .low = r->low, .high = r->high});
  }
}

void period_row(std::string_view code, const JsonValue& period, IndexValues& out) {
  std::string_view start = member_string(period, "start");
  std::string_view end = member_string(period, "end");
  if (start.empty() && end.empty()) return;
  DateRange row;
  if (!start.empty()) {
    auto r = date_range(start);
    if (!r) return;
    row.low = r->low;
  }
  if (!end.empty()) {
    auto r = date_range(end);
    if (!r) return;
    row.high = r->high;
  }
  out.dates.push_back({.param = code, .low = row.low, .high = row.high});
}

void date_rows(std::string_view code, const Item& item, IndexValues& out) {
  Primitive p;
  if (read_primitive(item, p)) {
    // A string (CarePlan scheduledString, Immunization occurrenceString) counts when it is a
    // date; "January 2012" is not.
    if (one_of(p.type, {"date", "dateTime", "instant", "string"})) add_date(code, p.text, out);
    return;
  }
  if (item.type == nullptr || item.json == nullptr) return;
  const JsonValue& j = *item.json;
  if (item.type->name == "Period") {
    period_row(code, j, out);
  } else if (item.type->name == "Timing") {
    each_string(member(j, "event"), [&](std::string_view s) { add_date(code, s, out); });
    if (const JsonValue* repeat = member(j, "repeat")) {
      if (const JsonValue* bounds = member(*repeat, "boundsPeriod")) period_row(code, *bounds, out);
    }
  }
}

// --- number, quantity -------------------------------------------------------------------

void number_rows(std::string_view code, const Item& item, IndexValues& out) {
  Primitive p;
  double value = 0;
  if (read_primitive(item, p) &&
      one_of(p.type, {"integer", "decimal", "positiveInt", "unsignedInt"}) &&
      parse_number(p.text, value)) {
    out.numbers.push_back({.param = code, .value = value});
  }
}

void quantity_rows(std::string_view code, const Item& item, IndexValues& out) {
  if (!item.is_node() || item.type == nullptr || item.json == nullptr) return;
  const JsonValue& j = *item.json;
  std::string_view type = item.type->name;
  double value = 0;
  if (!parse_number(member(j, "value"), value)) return;
  if (one_of(type, {"Quantity", "Age", "Duration", "Distance", "Count", "SimpleQuantity",
                    "MoneyQuantity"})) {
    std::string_view unit = member_string(j, "code");
    if (unit.empty()) unit = member_string(j, "unit");
    const std::string_view system = member_string(j, "system");
    out.quantities.push_back(
        {.param = code, .value = value, .system = std::string(system), .code = std::string(unit)});
    // A UCUM code that converts gives its canonical row too (fhir/search/ucum.h).
    if (system == kUcumSystem && !member_string(j, "code").empty()) {
      if (std::optional<UcumCanonical> canonical = ucum_canonical(member_string(j, "code"))) {
        out.quantities.push_back({.param = code,
                                  .value = value * canonical->factor,
                                  .system = std::string(kUcumCanonicalSystem),
                                  .code = std::move(canonical->unit)});
      }
    }
  } else if (type == "Money") {
    std::string_view currency = member_string(j, "currency");
    out.quantities.push_back({.param = code,
                              .value = value,
                              .system = currency.empty() ? "" : "urn:iso:std:iso:4217",
                              .code = std::string(currency)});
  }
}

// --- reference, uri ---------------------------------------------------------------------

// A resource as the value of a reference parameter (Bundle composition / message:
// `Bundle.entry[0].resource`): a reference to its type and id, when it is one of the targets.
void resource_reference(std::string_view code, std::span<const std::string_view> targets,
                        const JsonValue& resource, IndexValues& out) {
  std::string_view type = member_string(resource, "resourceType");
  std::string_view id = member_string(resource, "id");
  if (id.empty() || std::find(targets.begin(), targets.end(), type) == targets.end()) return;
  std::string url = std::string(type) + "/" + std::string(id);
  out.references.push_back(
      {.param = code, .target_type = std::string(type), .target_id = std::string(id), .url = url});
}

void reference_rows(std::string_view code, std::span<const std::string_view> targets,
                    const Item& item, IndexValues& out) {
  Primitive p;
  if (read_primitive(item, p)) {
    if (one_of(p.type, {"canonical", "uri", "url"})) {
      // A canonical's version is no part of the target it names.
      ReferenceIndex row = parse_reference(code, p.text.substr(0, p.text.find('|')));
      row.url = std::string(p.text);
      out.references.push_back(std::move(row));
    }
    return;
  }
  if (item.type == nullptr || item.json == nullptr) return;
  if (item.type->kind == TypeKind::kResource) {
    resource_reference(code, targets, *item.json, out);
    return;
  }
  if (item.type->name != "Reference") return;
  // A Reference with only an identifier or a display has nothing to join on; :identifier is
  // not indexed yet.
  std::string_view reference = member_string(*item.json, "reference");
  if (!reference.empty()) out.references.push_back(parse_reference(code, reference));
}

void uri_rows(std::string_view code, const Item& item, IndexValues& out) {
  Primitive p;
  if (read_primitive(item, p) && one_of(p.type, {"uri", "url", "canonical", "oid", "uuid"})) {
    out.uris.push_back({.param = code, .uri = std::string(p.text)});
  }
}

// Splits off the text after the last '/': "a/b/c" -> ("a/b", "c"); no '/' -> ("", text).
std::string_view pop_segment(std::string_view& path) {
  std::size_t slash = path.rfind('/');
  std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  path = slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
  return last;
}

// The value of an extension, typed by its JSON name's suffix ("CodeableConcept", "String").
Item extension_value(std::string_view suffix, const JsonValue& value) {
  const TypeDef* type = find_type(suffix);
  if (type == nullptr) {
    std::string primitive(suffix);
    primitive[0] = static_cast<char>(primitive[0] - 'A' + 'a');
    type = find_type(primitive);
  }
  Item item;
  if (type == nullptr || (type->kind == TypeKind::kPrimitive) == value.IsObject()) return item;
  item.json = &value;
  item.type = type;
  item.owner = type;
  return item;
}

}  // namespace

ReferenceIndex parse_reference(std::string_view code, std::string_view reference) {
  ReferenceIndex r{
      .param = code, .target_type = {}, .target_id = {}, .url = std::string(reference)};
  std::string_view path = reference;
  bool absolute = false;
  if (std::size_t scheme = path.find("://"); scheme != std::string_view::npos) {
    if (!path.starts_with("http://") && !path.starts_with("https://")) return r;
    absolute = true;
    path.remove_prefix(scheme + 3);
  }
  // One pass over the characters: find_first_of calls memchr on the set once per character.
  if (path.empty() || path.starts_with("urn:") || std::any_of(path.begin(), path.end(), [](char c) {
        return c == '#' || c == '?' || c == '|';
      })) {
    return r;
  }
  std::string_view id = pop_segment(path);
  std::string_view type = pop_segment(path);
  if (type == "_history") {  // Type/id/_history/version
    id = pop_segment(path);
    type = pop_segment(path);
  }
  // Relative: exactly Type/id; absolute: host[/base]/Type/id.
  if ((absolute ? path.empty() : !path.empty()) || id.empty() || !is_resource_type(type)) {
    return r;
  }
  r.target_type = std::string(type);
  r.target_id = std::string(id);
  return r;
}

void item_to_index(const SearchParamDef& param, const Item& item, IndexValues& out) {
  // An extension stands for its value (R4 expressions such as
  // `Observation.extension('...geneticsGene')` select the extension itself).
  if (item.is_node() && item.type != nullptr && item.type->name == "Extension" &&
      item.json != nullptr && item.json->IsObject()) {
    for (const auto& m : item.json->GetObject()) {
      std::string_view name(m.name.GetString(), m.name.GetStringLength());
      if (!name.starts_with("value") || name.size() == 5) continue;
      Item value = extension_value(name.substr(5), m.value);
      if (value.type != nullptr) item_to_index(param, value, out);
      return;
    }
    return;
  }
  std::string_view code = param.code;
  switch (param.type) {
    case SearchParamType::kString: string_rows(code, item, out); break;
    case SearchParamType::kToken: token_rows(code, item, out); break;
    case SearchParamType::kDate: date_rows(code, item, out); break;
    case SearchParamType::kNumber: number_rows(code, item, out); break;
    case SearchParamType::kQuantity: quantity_rows(code, item, out); break;
    case SearchParamType::kReference: reference_rows(code, param.target, item, out); break;
    case SearchParamType::kUri: uri_rows(code, item, out); break;
    case SearchParamType::kComposite:
    case SearchParamType::kSpecial: break;
  }
}

}  // namespace hearth::fhir::search::detail
