// Writing the decoded view as JSON: a field's components on one line, the rest indented.
#include "api/hl7/view_json.h"

#include "core/utf8.h"
#include "hl7/v2/charset.h"

namespace hearth::api {
namespace {

void write_component(PrettyJsonWriter& w, const hl7::ViewComponent& component) {
  if (component.size() == 1) {
    write_text(w, component.front());
    return;
  }
  w.StartArray();
  for (const std::string& sub : component) write_text(w, sub);
  w.EndArray();
}

void write_repetition(PrettyJsonWriter& w, const hl7::ViewRepetition& repetition) {
  if (repetition.size() == 1) {
    write_component(w, repetition.front());
    return;
  }
  w.StartArray();
  for (const hl7::ViewComponent& component : repetition) write_component(w, component);
  w.EndArray();
}

}  // namespace

std::string as_utf8(std::string_view text) {
  return hl7::to_utf8(text, hl7::Charset::kOther);
}

void write_text(PrettyJsonWriter& w, std::string_view text) {
  // The common case, and the view's own text (already converted): no copy of a value that may
  // be megabytes long.
  if (is_valid_utf8(text)) {
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return;
  }
  const std::string utf8 = as_utf8(text);
  w.String(utf8.data(), static_cast<rapidjson::SizeType>(utf8.size()));
}

void write_hl7_view(PrettyJsonWriter& w, const hl7::MessageView& view) {
  w.StartObject();
  w.Key("segments");
  w.StartArray();
  for (const hl7::SegmentView& segment : view.segments) {
    w.StartObject();
    w.Key("name");
    write_text(w, segment.name);
    w.Key("fields");
    w.StartObject();
    for (const hl7::FieldView& field : segment.fields) {
      const std::string key = std::to_string(field.number);
      w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
      // A field's components on one line: ["SMITH", "JANE"], not one line per item.
      w.SetFormatOptions(rapidjson::kFormatSingleLineArray);
      if (field.repetitions.size() == 1) {
        write_repetition(w, field.repetitions.front());
      } else {
        w.StartObject();
        w.Key("repetitions");
        w.StartArray();
        for (const hl7::ViewRepetition& repetition : field.repetitions)
          write_repetition(w, repetition);
        w.EndArray();
        w.EndObject();
      }
      w.SetFormatOptions(rapidjson::kFormatDefault);
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  if (view.truncated) {
    w.Key("truncated");
    w.Bool(true);
  }
  w.EndObject();
}

void write_parse_error(PrettyJsonWriter& w, const hl7::ParseError& error) {
  w.StartObject();
  w.Key("code");
  w.Int(static_cast<int>(error.code));
  w.Key("text");
  write_text(w, hl7::error_code_text(error.code));
  const std::string location = hl7::format_location(error.location);
  if (!location.empty()) {
    w.Key("location");
    write_text(w, location);
  }
  w.Key("message");
  write_text(w, error.message);
  w.EndObject();
}

}  // namespace hearth::api
