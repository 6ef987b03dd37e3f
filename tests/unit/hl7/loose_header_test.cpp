// The MSH fields of bytes that did not parse: best effort, bounded whatever the input.
#include "hl7/v2/loose_header.h"

#include <doctest/doctest.h>

#include <string>

namespace hearth::hl7 {

TEST_CASE("read_loose_header reads MSH fields of a header that does not parse") {
  LooseHeader h =
      read_loose_header("junk\rMSH|^~|LAB|HOSP|HEARTH|HUB|x||ORU^R01^ORU_R01|C9|P|2.5.1|more\r");
  CHECK(h.sender == "LAB|HOSP");
  CHECK(h.control_id == "C9");
  CHECK(h.message_type == "ORU^R01");
  CHECK(h.version == "2.5.1");
  // Other separators, and a line cut short.
  LooseHeader other = read_loose_header("MSH#^~\\&#A#B#C#D#E##ADT^A01#X");
  CHECK(other.sender == "A|B");
  CHECK(other.control_id == "X");
  CHECK(other.message_type == "ADT^A01");
  CHECK(other.version.empty());
  CHECK(read_loose_header("PID|1").control_id.empty());
  CHECK(read_loose_header("MSH").sender.empty());
}

TEST_CASE("read_loose_header reads only the first fields of a huge line") {
  std::string line = "MSH|^~\\&|A|B|C|D|E||T^E|ID|P|2.5";
  line += std::string(4 << 20, '|');  // millions of empty fields after MSH-12
  LooseHeader h = read_loose_header(line);
  CHECK(h.control_id == "ID");
  CHECK(h.version == "2.5");
}

}  // namespace hearth::hl7
