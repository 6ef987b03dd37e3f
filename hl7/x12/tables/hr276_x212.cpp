// 276 Health Care Claim Status Request, ASC X12N 005010X212.
#include "hl7/x12/tables/table_source.h"

namespace hearth::hl7::x12::tables {

const TableSource k276 = {"276", "005010X212", "Health Care Claim Status Request", R"(
ST R 1
BHT R 1
2000A HL.3=20 R n Information Source Level
  2100A NM1 R 1 Payer Name
  2000B HL.3=21 R n Information Receiver Level
    2100B NM1 R 1 Information Receiver Name
    2000C HL.3=19 R n Service Provider Level
      2100C NM1 R 2 Provider Name
      2000D HL.3=22 R n Subscriber Level
        DMG S 1
        2100D NM1 R 1 Subscriber Name
        2200D TRN S n Claim Status Tracking Number
          REF S 4
          AMT S 1
          DTP S 1
          2210D SVC S n Service Line Information
            REF S 1
            DTP S 1
        2000E HL.3=23 S n Dependent Level
          DMG R 1
          2100E NM1 R 1 Dependent Name
          2200E TRN R n Claim Status Tracking Number
            REF S 4
            AMT S 1
            DTP S 1
            2210E SVC S n Service Line Information
              REF S 1
              DTP S 1
SE R 1
)"};

}  // namespace hearth::hl7::x12::tables
