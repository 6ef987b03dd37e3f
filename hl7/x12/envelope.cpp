// Document::parse: finds each ISA, scans its interchange (scanner.h), then walks the segments
// once to build the ISA/GS/ST envelopes, verifying control numbers and counts, and runs the loop
// check (structure.h) on each transaction set that has a table.
#include <algorithm>
#include <cstdint>
#include <string>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "hl7/x12/document.h"
#include "hl7/x12/scanner.h"
#include "hl7/x12/structure.h"

namespace hearth::hl7::x12 {

namespace {

// Asks for transparent huge pages under the 2 MiB-aligned part of a table (Linux, where the
// system grants them on request): a parse touches each page of its two big tables once, and at
// 4 KiB a page those first-touch faults were a large part of a parse's time. Only advice: a
// refusal changes nothing.
void advise_huge_pages(const void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const auto at = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t begin = (at + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t end = (at + bytes) & ~(kHuge - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int two_digits(std::string_view s, std::size_t at) {
  return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

bool valid_yymmdd(std::string_view s) {
  if (s.size() != 6 || !all_digits(s)) return false;
  const int month = two_digits(s, 2), day = two_digits(s, 4);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool valid_hhmm(std::string_view s) {
  if (s.size() != 4 || !all_digits(s)) return false;
  return two_digits(s, 0) <= 23 && two_digits(s, 2) <= 59;
}

// The TA1 note for an ISA element whose width or content is wrong.
constexpr std::string_view kIsaNotes[17] = {ta1::kInvalidControlStructure,
                                            ta1::kInvalidAuthorizationQualifier,
                                            ta1::kInvalidAuthorization,
                                            ta1::kInvalidSecurityQualifier,
                                            ta1::kInvalidSecurity,
                                            ta1::kInvalidSenderQualifier,
                                            ta1::kInvalidSenderId,
                                            ta1::kInvalidReceiverQualifier,
                                            ta1::kInvalidReceiverId,
                                            ta1::kInvalidDate,
                                            ta1::kInvalidTime,
                                            ta1::kInvalidStandardsId,
                                            ta1::kInvalidVersion,
                                            ta1::kInvalidControlNumber,
                                            ta1::kInvalidAckRequested,
                                            ta1::kInvalidTestIndicator,
                                            ta1::kInvalidComponentSeparator};

std::string_view to_view(std::size_t n, std::string& storage) {
  storage = std::to_string(n);
  return storage;
}

}  // namespace

class DocumentParser {
 public:
  DocumentParser(std::string_view text, const Limits& limits) : limits_(limits) {
    doc_.text_ = text;
  }

  Result<Document> run() {
    const std::string_view text = doc_.text_;
    if (text.size() > limits_.max_bytes) {
      return Status(Code::kPayloadTooLarge, "X12 input of " + std::to_string(text.size()) +
                                                " bytes exceeds the limit of " +
                                                std::to_string(limits_.max_bytes));
    }
    std::size_t pos = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
    while (pos < text.size() && is_space(text[pos])) ++pos;
    doc_.prefix_ = text.substr(0, pos);
    // Generous reservations (pages are only touched as they fill) spare the hot loop the copies
    // of vector growth: a segment takes at least 4 bytes, an element at least 1.
    doc_.segments_.reserve(std::min(text.size() / 4 + 16, limits_.max_segments + 1));
    doc_.element_ends_.reserve(text.size() / 2 + 16);
    advise_huge_pages(doc_.segments_.data(), doc_.segments_.capacity() * sizeof(SegmentRecord));
    advise_huge_pages(doc_.element_ends_.data(),
                      doc_.element_ends_.capacity() * sizeof(std::uint32_t));
    if (text.substr(pos, 3) != "ISA") {
      return Status(Code::kMalformed, "X12 input does not start with an ISA segment", "ISA",
                    "structure");
    }
    while (pos < text.size()) {
      if (doc_.interchanges_.size() >= limits_.max_interchanges) {
        return Status(Code::kPayloadTooLarge, "X12 input holds more than " +
                                                  std::to_string(limits_.max_interchanges) +
                                                  " interchanges");
      }
      IsaLayout layout;
      const IsaProblem problem = read_isa(text.substr(pos), &layout);
      if (problem != IsaProblem::kNone) return isa_failure(problem, pos);
      const auto index = static_cast<std::uint32_t>(doc_.interchanges_.size());
      doc_.interchanges_.emplace_back();
      Interchange& ic = doc_.interchanges_.back();
      ic.delimiters = layout.delimiters;
      ic.header = static_cast<std::uint32_t>(doc_.segments_.size());
      std::size_t end = 0;
      detail::ScanEnd how = detail::ScanEnd::kEndOfText;
      if (!detail::scan_interchange(text, pos, layout.delimiters, limits_, doc_.segments_,
                                    doc_.element_ends_, notes_, &end, &how)) {
        return Status(
            Code::kPayloadTooLarge,
            "X12 input holds more than " + std::to_string(limits_.max_segments) + " segments");
      }
      ic.end_segment = static_cast<std::uint32_t>(doc_.segments_.size());
      pos = end;
      if (how == detail::ScanEnd::kTrailer) {
        // Blank space between interchanges stays with the IEA, so the writer keeps it.
        std::size_t skip = pos;
        while (skip < text.size() && is_space(text[skip])) ++skip;
        if (skip < text.size() && text.substr(skip, 3) != "ISA") {
          doc_.suffix_ = text.substr(pos);
          interchange_finding(index, ta1::kInvalidControlStructure, "IEA",
                              "bytes after the IEA segment are not an interchange");
          check_interchange(index, layout, how);
          break;
        }
        doc_.segments_.back().terminator_end = static_cast<std::uint32_t>(skip);
        pos = skip;
      }
      check_interchange(index, layout, how);
    }
    return std::move(doc_);
  }

 private:
  static bool is_space(char c) { return c == '\r' || c == '\n' || c == ' ' || c == '\t'; }

  Status isa_failure(IsaProblem problem, std::size_t offset) {
    std::string why;
    switch (problem) {
      case IsaProblem::kNotIsa: why = "no ISA segment"; break;
      case IsaProblem::kBadElementSeparator: why = "unusable element separator"; break;
      case IsaProblem::kTruncated: why = "fewer than 16 elements"; break;
      case IsaProblem::kBadComponentSeparator: why = "unusable component separator (ISA16)"; break;
      case IsaProblem::kBadSegmentTerminator: why = "unusable segment terminator"; break;
      case IsaProblem::kNone: break;
    }
    return Status(Code::kMalformed,
                  "X12 ISA segment at byte " + std::to_string(offset) + " is unreadable: " + why,
                  "ISA", "structure");
  }

  void interchange_finding(std::uint32_t ic, std::string_view code, std::string_view segment_id,
                           std::string message) {
    Finding f;
    f.level = Level::kInterchange;
    f.code = code;
    f.interchange = ic;
    f.segment_id = std::string(segment_id);
    f.message = std::move(message);
    doc_.findings_.push_back(std::move(f));
  }

  Finding group_context(std::uint32_t ic, std::uint32_t group) const {
    Finding f;
    f.level = Level::kGroup;
    f.interchange = ic;
    f.group = group;
    return f;
  }

  void group_finding(std::uint32_t ic, std::uint32_t group, std::string_view code,
                     std::string message) {
    Finding f = group_context(ic, group);
    f.code = code;
    f.segment_id = "GS";
    f.message = std::move(message);
    doc_.findings_.push_back(std::move(f));
  }

  void transaction_finding(const Finding& context, std::string_view code, std::string message) {
    Finding f = context;
    f.level = Level::kTransaction;
    f.code = code;
    f.segment_id = "ST";
    f.message = std::move(message);
    doc_.findings_.push_back(std::move(f));
  }

  void check_isa(std::uint32_t ic_index, const IsaLayout& layout) {
    Interchange& ic = doc_.interchanges_[ic_index];
    const auto& e = layout.elements;
    ic.sender_qualifier = e[5];
    ic.sender = e[6];
    ic.receiver_qualifier = e[7];
    ic.receiver = e[8];
    ic.date = e[9];
    ic.time = e[10];
    ic.version = e[12];
    ic.control_number = e[13];
    ic.ack_requested = e[14] == "1";
    ic.usage = e[15];
    int bad = layout.first_misfit_element;
    if (bad == 0) {
      if (!valid_yymmdd(e[9])) {
        bad = 9;
      } else if (!valid_hhmm(e[10])) {
        bad = 10;
      } else if (!all_digits(e[12])) {
        bad = 12;
      } else if (!all_digits(e[13])) {
        bad = 13;
      } else if (e[14] != "0" && e[14] != "1") {
        bad = 14;
      } else if (e[15] != "P" && e[15] != "T" && e[15] != "I") {
        bad = 15;
      }
    }
    if (bad != 0) {
      interchange_finding(
          ic_index, kIsaNotes[bad], "ISA",
          "ISA" + std::string(bad < 10 ? "0" : "") + std::to_string(bad) +
              (layout.first_misfit_element == bad ? " does not have the fixed ISA width"
                                                  : " has an invalid value"));
    }
  }

  // Walks one interchange's segments: envelopes, counts, control numbers, then the loop check.
  void check_interchange(std::uint32_t ic_index, const IsaLayout& layout, detail::ScanEnd how) {
    check_isa(ic_index, layout);
    Interchange* ic = &doc_.interchanges_[ic_index];
    const std::uint32_t first = ic->header;
    const std::uint32_t end = ic->end_segment;
    Group* group = nullptr;
    Transaction* txn = nullptr;
    bool orphan_transaction = false;
    auto close_transaction = [&](std::uint32_t last, bool has_trailer) {
      finish_transaction(ic_index, *group, *txn, last, has_trailer);
      txn = nullptr;
    };
    auto close_group_missing_trailer = [&]() {
      group_finding(ic_index, static_cast<std::uint32_t>(ic->groups.size() - 1),
                    ak9::kTrailerMissing,
                    "functional group " + std::string(group->control_number) + " has no GE");
      group = nullptr;
    };
    for (std::uint32_t s = first + 1; s < end; ++s) {
      const std::string_view id = doc_.segment_id(s);
      // Inside a set only the envelope's ids (GS, GE, ST, SE, IEA) need a look, and most
      // segments begin with none of their letters: one byte compare each, no string compares.
      if (txn != nullptr && !id.empty() && id[0] != 'G' && id[0] != 'S' && id[0] != 'I') continue;
      if (id == "GS") {
        if (txn != nullptr) close_transaction(s - 1, false);
        if (group != nullptr) close_group_missing_trailer();
        orphan_transaction = false;
        ic->groups.emplace_back();
        group = &ic->groups.back();
        group->header = s;
        group->functional_id = doc_.element(s, 1);
        group->sender = doc_.element(s, 2);
        group->receiver = doc_.element(s, 3);
        group->control_number = doc_.element(s, 6);
        group->version = doc_.element(s, 8);
        const auto g = static_cast<std::uint32_t>(ic->groups.size() - 1);
        if (!all_digits(group->control_number) || group->control_number.size() > 9) {
          group_finding(ic_index, g, ak9::kInvalidControlNumber,
                        "GS06 is not a group control number of 1 to 9 digits");
        }
        for (std::uint32_t other = 0; other < g; ++other) {
          if (ic->groups[other].control_number == group->control_number) {
            group_finding(ic_index, g, ak9::kControlNumberNotUnique,
                          "GS06 repeats an earlier group's control number");
            break;
          }
        }
      } else if (id == "GE") {
        if (txn != nullptr) close_transaction(s - 1, false);
        if (group == nullptr) {
          interchange_finding(ic_index, ta1::kInvalidControlStructure, "GE", "GE without a GS");
          continue;
        }
        group->trailer = s;
        const auto g = static_cast<std::uint32_t>(ic->groups.size() - 1);
        std::string count;
        if (doc_.element(s, 1) != to_view(group->transactions.size(), count)) {
          group_finding(ic_index, g, ak9::kTransactionCountWrong,
                        "GE01 does not match the " + count + " transaction sets of the group");
        }
        if (doc_.element(s, 2) != group->control_number) {
          group_finding(ic_index, g, ak9::kControlNumberMismatch, "GE02 differs from GS06");
        }
        group = nullptr;
        orphan_transaction = false;
      } else if (id == "ST") {
        if (txn != nullptr) close_transaction(s - 1, false);
        if (group == nullptr) {
          interchange_finding(ic_index, ta1::kInvalidContent, "ST",
                              "transaction set outside a functional group");
          orphan_transaction = true;
          continue;
        }
        group->transactions.emplace_back();
        txn = &group->transactions.back();
        txn->header = s;
        txn->set_id = doc_.element(s, 1);
        txn->control_number = doc_.element(s, 2);
        txn->convention = doc_.element(s, 3).empty() ? group->version : doc_.element(s, 3);
        const Finding context = transaction_context(ic_index, *group);
        if (txn->set_id.size() != 3 || !all_digits(txn->set_id)) {
          transaction_finding(context, ik5::kInvalidIdentifier, "ST01 is not a transaction set id");
        }
        if (txn->control_number.size() < 4 || txn->control_number.size() > 9) {
          transaction_finding(context, ik5::kInvalidControlNumber,
                              "ST02 is not a control number of 4 to 9 characters");
        }
        for (std::size_t t = 0; t + 1 < group->transactions.size(); ++t) {
          if (group->transactions[t].control_number == txn->control_number) {
            transaction_finding(context, ik5::kControlNumberNotUnique,
                                "ST02 repeats an earlier transaction set's control number");
            break;
          }
        }
      } else if (id == "SE") {
        if (txn == nullptr) {
          if (!orphan_transaction) {
            interchange_finding(ic_index, ta1::kInvalidControlStructure, "SE", "SE without an ST");
          }
          orphan_transaction = false;
          continue;
        }
        txn->trailer = s;
        const Finding context = transaction_context(ic_index, *group);
        std::string count;
        if (doc_.element(s, 1) != to_view(s - txn->header + 1, count)) {
          transaction_finding(context, ik5::kSegmentCountWrong,
                              "SE01 does not match the " + count + " segments of the set");
        }
        if (doc_.element(s, 2) != txn->control_number) {
          transaction_finding(context, ik5::kControlNumberMismatch, "SE02 differs from ST02");
        }
        close_transaction(s, true);
      } else if (id == "IEA") {
        if (txn != nullptr) close_transaction(s - 1, false);
        if (group != nullptr) close_group_missing_trailer();
        ic->trailer = s;
        std::string count;
        if (doc_.element(s, 1) != to_view(ic->groups.size(), count)) {
          interchange_finding(ic_index, ta1::kInvalidGroupCount, "IEA",
                              "IEA01 does not match the " + count + " functional groups");
        }
        if (doc_.element(s, 2) != ic->control_number) {
          interchange_finding(ic_index, ta1::kControlNumberMismatch, "IEA",
                              "IEA02 differs from ISA13");
        }
      } else if (txn == nullptr && !orphan_transaction) {
        if (id == "TA1" && group == nullptr) {
          ic->ta1_segments.push_back(s);
        } else {
          interchange_finding(ic_index, ta1::kInvalidControlStructure, id.substr(0, 3),
                              "segment outside a transaction set");
        }
      }
    }
    if (txn != nullptr) close_transaction(end - 1, false);
    if (group != nullptr) close_group_missing_trailer();
    if (how != detail::ScanEnd::kTrailer) {
      interchange_finding(ic_index, ta1::kPrematureEnd, "IEA",
                          "the interchange ends without an IEA segment");
    }
    // Syntax notes on envelope segments (outside any transaction set).
    for (const detail::SyntaxNote& note : notes_) {
      if (note.segment >= first && note.segment < end &&
          !inside_transaction(note.segment - first)) {
        interchange_finding(ic_index, ta1::kInvalidContent,
                            doc_.segment_id(note.segment).substr(0, 3),
                            "envelope segment has an invalid character or length");
      }
    }
    in_transaction_.clear();
  }

  bool inside_transaction(std::uint32_t offset) const {
    return offset < in_transaction_.size() && in_transaction_[offset];
  }

  Finding transaction_context(std::uint32_t ic, const Group& group) const {
    Finding f;
    f.level = Level::kTransaction;
    f.interchange = ic;
    f.group = static_cast<std::uint32_t>(&group - doc_.interchanges_[ic].groups.data());
    f.transaction = static_cast<std::uint32_t>(group.transactions.size() - 1);
    return f;
  }

  void finish_transaction(std::uint32_t ic, Group& group, Transaction& txn, std::uint32_t last,
                          bool has_trailer) {
    const Finding context = transaction_context(ic, group);
    const std::uint32_t first = doc_.interchanges_[ic].header;
    if (in_transaction_.size() < doc_.segments_.size() - first) {
      in_transaction_.resize(doc_.segments_.size() - first, false);
    }
    for (std::uint32_t s = txn.header; s <= last; ++s) in_transaction_[s - first] = true;
    if (!has_trailer) {
      transaction_finding(context, ik5::kTrailerMissing,
                          "transaction set " + std::string(txn.control_number) + " has no SE");
    }
    txn.table = find_loop_table(txn.set_id, txn.convention);
    if (txn.table != nullptr && limits_.check_structure) {
      if (doc_.segment_loops_.size() < doc_.segments_.size()) {
        doc_.segment_loops_.resize(doc_.segments_.size(), nullptr);
      }
      detail::check_structure(doc_, *txn.table, txn.header, last, has_trailer, context, txn,
                              doc_.segment_loops_, doc_.findings_);
    } else {
      for (std::uint32_t s = txn.header + 1; s < last + (has_trailer ? 0 : 1); ++s) {
        if (!detail::valid_segment_id(doc_.segment_id(s))) {
          Finding f = context;
          f.level = Level::kSegment;
          f.code = ik3::kUnrecognizedId;
          f.segment = s;
          f.position = s - txn.header + 1;
          f.segment_id = std::string(doc_.segment_id(s).substr(0, 3));
          f.message = "segment " + std::to_string(f.position) + " has no valid segment id";
          doc_.findings_.push_back(std::move(f));
        }
      }
    }
    // Element syntax notes inside the set become IK3 8 + IK4.
    for (const detail::SyntaxNote& note : notes_) {
      if (note.segment <= txn.header || note.segment > last) continue;
      Finding f = context;
      f.level = Level::kElement;
      f.code = note.code;
      f.segment = note.segment;
      f.position = note.segment - txn.header + 1;
      f.segment_id = std::string(doc_.segment_id(note.segment).substr(0, 3));
      f.loop_id = std::string(doc_.loop_of(note.segment));
      f.element = note.element;
      if (note.code == ik4::kInvalidCharacter) {
        const char c = doc_.text_[note.offset];
        f.bad_value = c == '\n' ? "<LF>" : c == '\r' ? "<CR>" : "<" + std::to_string(c) + ">";
      }
      f.message = "element " + std::to_string(note.element) + " of segment " +
                  std::to_string(f.position) +
                  (note.code == ik4::kInvalidCharacter ? " has a control character"
                   : note.code == ik4::kTooLong        ? " is longer than the element bound"
                                                       : " has too many elements");
      doc_.findings_.push_back(std::move(f));
    }
  }

  Document doc_;
  const Limits& limits_;
  std::vector<detail::SyntaxNote> notes_;
  std::vector<bool> in_transaction_;  // per segment of the current interchange
};

Result<Document> Document::parse(std::string_view text, const Limits& limits) {
  return DocumentParser(text, limits).run();
}

}  // namespace hearth::hl7::x12
