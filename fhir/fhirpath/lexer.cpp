// Lexer for FHIRPath; see lexer.h. Works on bytes: identifiers are ASCII per the grammar, and
// non-ASCII bytes only appear inside strings, delimited identifiers and comments.
#include "fhir/fhirpath/lexer.h"

#include <cctype>

namespace hearth::fhir::fhirpath::detail {

Status syntax_error(std::uint32_t pos, std::string_view message) {
  return {Code::kInvalidArgument, "at " + std::to_string(pos) + ": " + std::string(message)};
}

namespace {

bool is_ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : s_(text) {}

  Result<std::vector<Token>> run() {
    std::vector<Token> out;
    while (true) {
      HEARTH_RETURN_IF_ERROR(skip_space());
      Token t;
      t.pos = static_cast<std::uint32_t>(i_ + 1);
      if (i_ >= s_.size()) {
        out.push_back(std::move(t));
        return out;
      }
      HEARTH_RETURN_IF_ERROR(next(t));
      out.push_back(std::move(t));
    }
  }

 private:
  char peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  std::uint32_t pos() const { return static_cast<std::uint32_t>(i_ + 1); }

  Status skip_space() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++i_;
      } else if (c == '/' && peek(1) == '/') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else if (c == '/' && peek(1) == '*') {
        std::size_t end = s_.find("*/", i_ + 2);
        if (end == std::string_view::npos) return syntax_error(pos(), "unterminated comment");
        i_ = end + 2;
      } else {
        break;
      }
    }
    return Status::ok();
  }

  // Reads a quoted run ending in `quote`, decoding escapes.
  Status quoted(char quote, std::string& out) {
    std::uint32_t start = pos();
    ++i_;
    while (true) {
      if (i_ >= s_.size()) return syntax_error(start, "unterminated string or identifier");
      char c = s_[i_++];
      if (c == quote) return Status::ok();
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) return syntax_error(start, "unterminated escape");
      char e = s_[i_++];
      switch (e) {
        case '\'':
        case '"':
        case '`':
        case '\\':
        case '/': out += e; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          if (i_ + 4 > s_.size()) return syntax_error(pos(), "bad \\u escape");
          std::uint32_t cp = 0;
          for (int k = 0; k < 4; ++k) {
            char h = s_[i_++];
            int v = std::isxdigit(static_cast<unsigned char>(h))
                        ? (is_digit(h) ? h - '0' : (std::tolower(h) - 'a' + 10))
                        : -1;
            if (v < 0) return syntax_error(pos(), "bad \\u escape");
            cp = cp * 16 + static_cast<std::uint32_t>(v);
          }
          append_utf8(out, cp);
          break;
        }
        default: return syntax_error(pos() - 1, std::string("unknown escape \\") + e);
      }
    }
  }

  void digits() {
    while (is_digit(peek())) ++i_;
  }

  // @date[Ttime][tz] or @Ttime: keeps the text, checked later by the temporal parser.
  Status temporal(Token& t) {
    ++i_;  // '@'
    std::size_t start = i_;
    if (peek() == 'T') {
      ++i_;
      start = i_;
      time_part();
      t.kind = Tok::kTime;
      t.text.assign(s_.substr(start, i_ - start));
      if (t.text.empty()) return syntax_error(t.pos, "empty time literal");
      return Status::ok();
    }
    while (is_digit(peek()) || peek() == '-') ++i_;
    if (i_ == start) return syntax_error(t.pos, "bad date literal");
    t.kind = Tok::kDate;
    if (peek() == 'T') {
      ++i_;
      t.kind = Tok::kDateTime;
      std::size_t tstart = i_;
      time_part();
      if (i_ > tstart) zone();
    } else if (peek() == 'Z' || ((peek() == '+' || peek() == '-') && is_digit(peek(1)) &&
                                 is_digit(peek(2)) && peek(3) == ':')) {
      zone();  // a zone without a time: kept so the temporal parser can reject it
      t.kind = Tok::kDateTime;
    }
    t.text.assign(s_.substr(start, i_ - start));
    return Status::ok();
  }
  void time_part() {
    while (is_digit(peek()) || peek() == ':') ++i_;
    if (peek() == '.' && is_digit(peek(1))) {
      ++i_;
      digits();
    }
  }
  void zone() {
    if (peek() == 'Z') {
      ++i_;
    } else if ((peek() == '+' || peek() == '-') && is_digit(peek(1))) {
      ++i_;
      while (is_digit(peek()) || peek() == ':') ++i_;
    }
  }

  Status next(Token& t) {
    char c = peek();
    if (is_ident_start(c)) {
      std::size_t start = i_;
      while (is_ident_char(peek())) ++i_;
      t.kind = Tok::kIdentifier;
      t.text.assign(s_.substr(start, i_ - start));
      return Status::ok();
    }
    if (is_digit(c)) {
      std::size_t start = i_;
      digits();
      t.kind = Tok::kInteger;
      if (peek() == '.' && is_digit(peek(1))) {
        ++i_;
        digits();
        t.kind = Tok::kDecimal;
      }
      t.text.assign(s_.substr(start, i_ - start));
      if (t.kind == Tok::kInteger && peek() == 'L') {
        ++i_;
        t.kind = Tok::kLong;
      }
      return Status::ok();
    }
    switch (c) {
      case '\'': t.kind = Tok::kString; return quoted('\'', t.text);
      case '`':
        t.kind = Tok::kIdentifier;
        t.delimited = true;
        return quoted('`', t.text);
      case '@': return temporal(t);
      case '%': {
        ++i_;
        t.kind = Tok::kVariable;
        if (peek() == '`') return quoted('`', t.text);
        if (peek() == '\'') return quoted('\'', t.text);
        std::size_t start = i_;
        // %vs-name and %ext-name (R4 fhirpath.html) are the only names with '-'.
        while (is_ident_char(peek()) ||
               (peek() == '-' &&
                (s_.substr(start, i_ - start) == "vs" || s_.substr(start, i_ - start) == "ext" ||
                 s_.substr(start, 3) == "vs-" || s_.substr(start, 4) == "ext-"))) {
          ++i_;
        }
        if (i_ == start) return syntax_error(t.pos, "expected a variable name after %");
        t.text.assign(s_.substr(start, i_ - start));
        return Status::ok();
      }
      case '$': {
        ++i_;
        std::size_t start = i_;
        while (is_ident_char(peek())) ++i_;
        t.kind = Tok::kSpecial;
        t.text.assign(s_.substr(start, i_ - start));
        if (t.text != "this" && t.text != "index" && t.text != "total") {
          return syntax_error(t.pos, "unknown special variable $" + t.text);
        }
        return Status::ok();
      }
      default: break;
    }
    t.kind = Tok::kSymbol;
    static constexpr std::string_view kTwo[] = {"!=", "!~", "<=", ">="};
    for (std::string_view two : kTwo) {
      if (s_.substr(i_, 2) == two) {
        t.text.assign(two);
        i_ += 2;
        return Status::ok();
      }
    }
    if (std::string_view(".,()[]{}+-*/|&=~<>").find(c) != std::string_view::npos) {
      t.text.assign(1, c);
      ++i_;
      return Status::ok();
    }
    return syntax_error(t.pos, std::string("unexpected character '") + c + "'");
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

Result<std::vector<Token>> tokenize(std::string_view text) {
  return Lexer(text).run();
}

}  // namespace hearth::fhir::fhirpath::detail
