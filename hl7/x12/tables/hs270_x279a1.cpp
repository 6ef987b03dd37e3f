// 270 Health Care Eligibility Benefit Inquiry, ASC X12N 005010X279A1.
#include "hl7/x12/tables/table_source.h"

namespace hearth::hl7::x12::tables {

const TableSource k270 = {"270", "005010X279A1", "Health Care Eligibility Benefit Inquiry", R"(
ST R 1
BHT R 1
2000A HL.3=20 R n Information Source Level
  2100A NM1 R 1 Information Source Name
  2000B HL.3=21 R n Information Receiver Level
    2100B NM1 R 1 Information Receiver Name
      REF S 9
      N3 S 1
      N4 S 1
      PRV S 1
    2000C HL.3=22 R n Subscriber Level
      TRN S 2
      2100C NM1 R 1 Subscriber Name
        REF S 9
        N3 S 1
        N4 S 1
        PRV S 1
        DMG S 1
        INS S 1
        HI S 1
        DTP S 2
        2110C EQ S 99 Subscriber Eligibility or Benefit Inquiry
          AMT S 2
          III S 10
          REF S 1
          DTP S 1
      2000D HL.3=23 S n Dependent Level
        TRN S 2
        2100D NM1 R 1 Dependent Name
          REF S 9
          N3 S 1
          N4 S 1
          PRV S 1
          DMG S 1
          INS S 1
          HI S 1
          DTP S 2
          2110D EQ S 99 Dependent Eligibility or Benefit Inquiry
            III S 10
            REF S 1
            DTP S 1
SE R 1
)"};

}  // namespace hearth::hl7::x12::tables
