// DateShapeWriter: search_param's date_span and date_several, widened per written resource.
#include "storage/sql/date_shape.h"

#include <algorithm>

namespace hearth::storage::detail {

std::int64_t date_span(std::int64_t low, std::int64_t high) {
  const __int128 span = static_cast<__int128>(high) - low;
  return static_cast<std::int64_t>(std::clamp<__int128>(span, 0, kHugeSpan));
}

DateShapeWriter::DateShapeWriter(soci::session& sql)
    : update_(sql,
              "UPDATE search_param SET date_span = MAX(date_span, ?1),"
              " date_several = MAX(date_several, ?2)"
              " WHERE id = ?3 AND (date_span < ?1 OR date_several < ?2)") {}

DateShapeWriter::~DateShapeWriter() = default;

void DateShapeWriter::record(const std::vector<fhir::search::DateIndex>& rows,
                             const std::function<long long(std::string_view)>& pid_of) {
  // A resource has few date rows: each parameter's rows are gathered by a scan from its first.
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const std::string_view param = rows[k].param;
    bool first = true;
    for (std::size_t j = 0; j < k && first; ++j) first = rows[j].param != param;
    if (!first) continue;
    std::int64_t span = 0;
    std::int64_t count = 0;
    for (std::size_t j = k; j < rows.size(); ++j) {
      if (rows[j].param != param) continue;
      span = std::max(span, date_span(rows[j].low, rows[j].high));
      ++count;
    }
    update_.bind(1, span);
    update_.bind(2, std::int64_t{count > 1 ? 1 : 0});
    update_.bind(3, std::int64_t{pid_of(param)});
    update_.step();
  }
}

}  // namespace hearth::storage::detail
