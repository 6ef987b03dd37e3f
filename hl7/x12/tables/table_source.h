// The text of each built-in loop table (see loop_table.h for the row format), one per file in
// this folder, named after the transaction set and implementation guide.
#pragma once

#include <string_view>

namespace hearth::hl7::x12::tables {

struct TableSource {
  std::string_view set_id;
  std::string_view guide;
  std::string_view title;
  std::string_view text;
};

extern const TableSource k837Professional;   // 005010X222A1
extern const TableSource k837Institutional;  // 005010X223A2
extern const TableSource k837Dental;         // 005010X224A2
extern const TableSource k835;               // 005010X221A1
extern const TableSource k270;               // 005010X279A1
extern const TableSource k271;               // 005010X279A1
extern const TableSource k276;               // 005010X212
extern const TableSource k277;               // 005010X212
extern const TableSource k834;               // 005010X220A1

}  // namespace hearth::hl7::x12::tables
