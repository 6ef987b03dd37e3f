// MultiRowInsert: the statement texts, and their statements kept by row count.
#include "storage/sql/multi_row_insert.h"

#include <algorithm>
#include <utility>

namespace hearth::storage::detail {

std::string multi_row_insert_sql(std::string_view table, std::string_view columns,
                                 std::size_t width, std::size_t rows) {
  std::string text = "INSERT OR IGNORE INTO ";
  text += table;
  text += " (";
  text += columns;
  text += ") VALUES ";
  std::size_t parameter = 0;
  for (std::size_t row = 0; row < rows; ++row) {
    text += row == 0 ? "(" : ", (";
    for (std::size_t i = 0; i < width; ++i) {
      text += (i == 0 ? "?" : ", ?") + std::to_string(++parameter);
    }
    text += ")";
  }
  return text;
}

MultiRowInsert::MultiRowInsert(soci::session& sql, std::string table, std::string columns,
                               std::size_t width, std::size_t max_rows)
    : sql_(sql),
      table_(std::move(table)),
      columns_(std::move(columns)),
      width_(width),
      max_rows_(max_rows < 1 ? 1 : max_rows),
      statements_(max_rows_) {}

MultiRowInsert::~MultiRowInsert() = default;

std::size_t MultiRowInsert::prepared() const {
  return static_cast<std::size_t>(
      std::count_if(statements_.begin(), statements_.end(), [](const auto& st) { return !!st; }));
}

SqliteStatement& MultiRowInsert::statement(std::size_t rows) {
  std::unique_ptr<SqliteStatement>& st = statements_[rows - 1];
  if (!st) {
    st = std::make_unique<SqliteStatement>(sql_,
                                           multi_row_insert_sql(table_, columns_, width_, rows));
  }
  return *st;
}

}  // namespace hearth::storage::detail
