// Acknowledgments of an X12 interchange, built from a parsed Document's findings: the TA1
// (interchange acknowledgment) for envelope errors or when ISA14 asks for one, and the 999
// (implementation acknowledgment, 005010X231A1) per functional group with AK2/IK3/IK4/IK5/AK9.
// acknowledge() makes plain values (so callers and tests can inspect them); write_acknowledgment()
// renders them as one X12 interchange. No clock here: the caller passes dates and control
// numbers.
//
// Policy: an interchange finding rejects the interchange (TA104 R, TA105 the first finding's
// note); a rejected interchange gets a TA1 and no 999. A transaction set with any finding is
// rejected (IK501 R; IK502 lists the set-level codes and 5 when segments are in error). A group is
// A when every set is accepted, P when some are, R when none is or the group itself has an error
// (AK905).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hl7/x12/document.h"

namespace hearth::hl7::x12 {

struct Ta1 {
  std::string control_number;  // TA101 = the interchange's ISA13
  std::string date;            // TA102 = ISA09
  std::string time;            // TA103 = ISA10
  char code = 'A';             // TA104: A, E, R
  std::string note;            // TA105
};

struct ElementAck {  // IK4
  int element = 0;
  int component = 0;
  int repetition = 0;
  std::string code;
  std::string bad_value;
};

struct SegmentAck {  // IK3 and its IK4s
  std::string segment_id;
  std::uint32_t position = 0;
  std::string loop_id;
  std::string code;
  std::vector<ElementAck> elements;
};

struct TransactionAck {  // AK2 .. IK5
  std::string set_id;
  std::string control_number;
  std::string convention;           // AK203: ST03 when the set carried one
  char code = 'A';                  // IK501: A, E, R
  std::vector<std::string> errors;  // IK502..IK506
  std::vector<SegmentAck> segments;
};

struct GroupAck {                   // AK1 .. AK9
  std::string functional_id;        // AK101 = GS01
  std::string control_number;       // AK102 = GS06
  std::string version;              // AK103 = GS08
  char code = 'A';                  // AK901: A, E, P, R
  std::string included;             // AK902 = GE01 as sent (the received count when GE is missing)
  std::size_t received = 0;         // AK903
  std::size_t accepted = 0;         // AK904
  std::vector<std::string> errors;  // AK905..AK909
  std::vector<TransactionAck> transactions;
};

struct InterchangeAck {
  std::optional<Ta1> ta1;  // present on an interchange error or when ISA14 = 1
  bool rejected = false;   // TA104 R: no 999 follows
  std::vector<GroupAck> groups;
};

// The acknowledgment of interchange `index` of `document`.
InterchangeAck acknowledge(const Document& document, std::size_t index);

struct AckEnvelope {
  std::string control_number = "000000001";  // ISA13 and IEA02 (9 digits)
  std::string group_control_number = "1";    // GS06 and GE02 of each 999 group (increments)
  std::string date = "20000101";             // CCYYMMDD; ISA09 takes its last six digits
  std::string time = "0000";                 // HHMM
};

// The acknowledgment as one X12 interchange from the receiver back to the sender: ISA with the
// sender and receiver swapped and the original's delimiters, the TA1 if any, then one 999
// functional group (GS01 FA) per acknowledged group.
std::string write_acknowledgment(const Document& document, std::size_t index,
                                 const InterchangeAck& ack, const AckEnvelope& envelope);

// The verdict a received acknowledgment (a parsed TA1/999 interchange) carries, for a sender:
// 'R' when a TA1 rejects (TA104 R) or no AK9 accepts anything (every AK901 R); 'A' when every
// AK901 is A (or the only answer is a TA1 A); 'P' otherwise; '\0' when it holds neither a TA1
// nor an AK9.
char acknowledgment_verdict(const Document& ack);

}  // namespace hearth::hl7::x12
