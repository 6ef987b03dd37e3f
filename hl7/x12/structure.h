// The loop check: walks one transaction set's segments through its loop table (loop_table.h),
// opening and closing loops as trigger segments arrive, and reports what the table forbids as
// 999 segment findings: an unrecognised segment id (IK304 1), a segment the table has but not
// here (2) or nowhere (6), a required segment or loop missing (3), a loop or segment over its
// maximum (4, 5), a segment out of order (7), and a loop trigger whose qualifier is not one the
// table allows (8, with an IK4 code 7 on the qualifier element). Internal to hl7/x12.
//
// Matching, for each segment: the open loops are searched innermost first, each from its current
// row onwards (a later row, another use of the current row, or a new repetition of a child
// loop); then the rows before the current one (out of order); a match in an outer loop closes the
// inner ones, checking their required rows. A missing segment is reported at the position of
// the last segment read before its absence was noticed.
#pragma once

#include <cstdint>
#include <vector>

#include "hl7/x12/document.h"
#include "hl7/x12/finding.h"
#include "hl7/x12/loop_table.h"

namespace hearth::hl7::x12::detail {

// Checks segments [header, trailer] of `transaction` (trailer = its SE, or the last segment when
// SE is missing, with `has_trailer` false). Appends the loop occurrences to transaction.loops,
// each segment's loop to `segment_loops`, and findings (copies of `context` with the location
// filled in) to `findings`.
void check_structure(const Document& document, const LoopTable& table, std::uint32_t header,
                     std::uint32_t last, bool has_trailer, const Finding& context,
                     Transaction& transaction, std::vector<const LoopDef*>& segment_loops,
                     std::vector<Finding>& findings);

}  // namespace hearth::hl7::x12::detail
