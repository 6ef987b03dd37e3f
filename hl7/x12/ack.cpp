// Findings -> TA1/999 values -> X12 text.
#include "hl7/x12/ack.h"

#include <algorithm>
#include <cstdlib>

#include "hl7/x12/segment_writer.h"

namespace hearth::hl7::x12 {

namespace {

void add_code(std::vector<std::string>& codes, std::string_view code) {
  if (codes.size() < 5 && std::find(codes.begin(), codes.end(), code) == codes.end()) {
    codes.emplace_back(code);
  }
}

SegmentAck& segment_entry(TransactionAck& txn, const Finding& f) {
  for (SegmentAck& s : txn.segments) {
    if (s.position == f.position && s.segment_id == f.segment_id && s.code == ik3::kElementErrors) {
      return s;
    }
  }
  txn.segments.push_back(
      SegmentAck{f.segment_id, f.position, f.loop_id, std::string(ik3::kElementErrors), {}});
  return txn.segments.back();
}

}  // namespace

InterchangeAck acknowledge(const Document& document, std::size_t index) {
  const Interchange& ic = document.interchanges()[index];
  InterchangeAck ack;
  std::string_view note;
  for (const Finding& f : document.findings()) {
    if (f.interchange != index || f.level != Level::kInterchange) continue;
    note = f.code;
    break;
  }
  if (!note.empty() || ic.ack_requested) {
    Ta1 ta1;
    ta1.control_number = std::string(ic.control_number);
    ta1.date = std::string(ic.date);
    ta1.time = std::string(ic.time);
    ta1.code = note.empty() ? 'A' : 'R';
    ta1.note = note.empty() ? std::string(ta1::kNoError) : std::string(note);
    ack.rejected = ta1.code == 'R';
    ack.ta1 = std::move(ta1);
  }
  if (ack.rejected) return ack;
  for (std::size_t g = 0; g < ic.groups.size(); ++g) {
    const Group& group = ic.groups[g];
    GroupAck ga;
    ga.functional_id = std::string(group.functional_id);
    ga.control_number = std::string(group.control_number);
    ga.version = std::string(group.version);
    ga.received = group.transactions.size();
    ga.included = group.trailer != kNone ? std::string(document.element(group.trailer, 1))
                                         : std::to_string(ga.received);
    for (const Transaction& t : group.transactions) {
      TransactionAck ta;
      ta.set_id = std::string(t.set_id);
      ta.control_number = std::string(t.control_number);
      ta.convention = std::string(document.element(t.header, 3));
      ga.transactions.push_back(std::move(ta));
    }
    for (const Finding& f : document.findings()) {
      if (f.interchange != index || f.group != g) continue;
      if (f.level == Level::kGroup) {
        add_code(ga.errors, f.code);
        continue;
      }
      if (f.transaction >= ga.transactions.size()) continue;
      TransactionAck& ta = ga.transactions[f.transaction];
      if (f.level == Level::kTransaction) {
        add_code(ta.errors, f.code);
      } else if (f.level == Level::kSegment) {
        ta.segments.push_back(
            SegmentAck{f.segment_id, f.position, f.loop_id, std::string(f.code), {}});
      } else {
        SegmentAck& s = segment_entry(ta, f);
        if (s.elements.size() < 99) {
          s.elements.push_back(
              ElementAck{f.element, f.component, f.repetition, std::string(f.code), f.bad_value});
        }
      }
    }
    for (TransactionAck& ta : ga.transactions) {
      std::stable_sort(
          ta.segments.begin(), ta.segments.end(),
          [](const SegmentAck& a, const SegmentAck& b) { return a.position < b.position; });
      if (!ta.segments.empty()) add_code(ta.errors, ik5::kSegmentsInError);
      ta.code = ta.errors.empty() ? 'A' : 'R';
      if (ta.code == 'A') ++ga.accepted;
    }
    if (!ga.errors.empty() || ga.accepted == 0) {
      ga.code = 'R';
    } else {
      ga.code = ga.accepted == ga.received ? 'A' : 'P';
    }
    ack.groups.push_back(std::move(ga));
  }
  return ack;
}

namespace {

std::string zero_pad(std::string_view s, std::size_t width) {
  std::string out(s.substr(0, width));
  if (out.size() < width) out.insert(0, width - out.size(), '0');
  return out;
}

std::string pad(std::string_view s, std::size_t width) {
  std::string out(s.substr(0, width));
  out.resize(width, ' ');
  return out;
}

}  // namespace

std::string write_acknowledgment(const Document& document, std::size_t index,
                                 const InterchangeAck& ack, const AckEnvelope& envelope) {
  const Interchange& ic = document.interchanges()[index];
  Delimiters d = ic.delimiters;
  if (d.repetition == '\0') {
    for (char c : std::string_view("^|!`")) {
      if (c != d.element && c != d.component && c != d.segment) {
        d.repetition = c;
        break;
      }
    }
  }
  SegmentWriter w(d);
  const std::string date6 =
      envelope.date.size() >= 6 ? envelope.date.substr(envelope.date.size() - 6) : envelope.date;
  const std::string rep(1, d.repetition), comp(1, d.component);
  w.segment({"ISA", "00", pad("", 10), "00", pad("", 10), pad(ic.receiver_qualifier, 2),
             pad(ic.receiver, 15), pad(ic.sender_qualifier, 2), pad(ic.sender, 15), date6,
             envelope.time, rep, "00501", zero_pad(envelope.control_number, 9), "0",
             ic.usage.empty() ? "P" : ic.usage, comp});
  if (ack.ta1) {
    const std::string code(1, ack.ta1->code);
    w.segment({"TA1", ack.ta1->control_number, ack.ta1->date, ack.ta1->time, code, ack.ta1->note});
  }
  std::size_t groups = 0;
  std::uint64_t group_number = std::strtoull(envelope.group_control_number.c_str(), nullptr, 10);
  for (const GroupAck& ga : ack.groups) {
    const Group& group = ic.groups[groups];
    const std::string control = std::to_string(group_number++);
    w.segment({"GS", "FA", group.receiver, group.sender, envelope.date, envelope.time, control, "X",
               "005010X231A1"});
    w.reset_count();
    w.segment({"ST", "999", "0001", "005010X231A1"});
    w.segment({"AK1", ga.functional_id, ga.control_number, ga.version});
    for (const TransactionAck& ta : ga.transactions) {
      w.segment({"AK2", ta.set_id, ta.control_number, ta.convention});
      for (const SegmentAck& s : ta.segments) {
        w.segment({"IK3", s.segment_id, std::to_string(s.position), s.loop_id, s.code});
        for (const ElementAck& e : s.elements) {
          w.segment(
              {"IK4", w.position(e.element, e.component, e.repetition), "", e.code, e.bad_value});
        }
      }
      const std::string code(1, ta.code);
      std::string_view c[5];
      for (std::size_t i = 0; i < ta.errors.size() && i < 5; ++i) c[i] = ta.errors[i];
      w.segment({"IK5", code, c[0], c[1], c[2], c[3], c[4]});
    }
    const std::string code(1, ga.code);
    std::string_view c[5];
    for (std::size_t i = 0; i < ga.errors.size() && i < 5; ++i) c[i] = ga.errors[i];
    w.segment({"AK9", code, ga.included, std::to_string(ga.received), std::to_string(ga.accepted),
               c[0], c[1], c[2], c[3], c[4]});
    const std::string count = std::to_string(w.count() + 1);
    w.segment({"SE", count, "0001"});
    w.segment({"GE", "1", control});
    ++groups;
  }
  w.segment({"IEA", std::to_string(groups), zero_pad(envelope.control_number, 9)});
  return w.take();
}

char acknowledgment_verdict(const Document& ack) {
  bool ta1_accepts = false, any_ak9 = false, all_accepted = true, any_accepted = false;
  for (std::size_t i = 0; i < ack.segment_count(); ++i) {
    const std::string_view id = ack.segment_id(i);
    if (id == "TA1") {
      if (ack.element(i, 4) == "R") return 'R';
      ta1_accepts = true;
    } else if (id == "AK9") {
      any_ak9 = true;
      const std::string_view code = ack.element(i, 1);
      all_accepted = all_accepted && code == "A";
      any_accepted = any_accepted || code != "R";
    }
  }
  if (!any_ak9) return ta1_accepts ? 'A' : '\0';
  if (all_accepted) return 'A';
  return any_accepted ? 'P' : 'R';
}

}  // namespace hearth::hl7::x12
