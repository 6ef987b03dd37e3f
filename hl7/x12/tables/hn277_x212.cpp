// 277 Health Care Claim Status Response, ASC X12N 005010X212 (not the 277CA of X214).
#include "hl7/x12/tables/table_source.h"

namespace hearth::hl7::x12::tables {

const TableSource k277 = {"277", "005010X212", "Health Care Claim Status Response", R"(
ST R 1
BHT R 1
2000A HL.3=20 R n Information Source Level
  2100A NM1 R 1 Payer Name
    PER S 3
  2000B HL.3=21 R n Information Receiver Level
    2100B NM1 R 1 Information Receiver Name
    2200B TRN S n Information Receiver Application Trace Identifier
      STC S n
    2000C HL.3=19 S n Service Provider Level
      2100C NM1 R 2 Provider Name
      2200C TRN S n Provider of Service Trace Identifier
        STC S n
      2000D HL.3=22 S n Subscriber Level
        2100D NM1 R 1 Subscriber Name
        2200D TRN S n Claim Status Tracking Number
          STC R n
          REF S 3
          DTP S 1
          2220D SVC S n Service Line Information
            STC R n
            REF S 1
            DTP S 1
        2000E HL.3=23 S n Dependent Level
          2100E NM1 R 1 Dependent Name
          2200E TRN R n Claim Status Tracking Number
            STC R n
            REF S 3
            DTP S 1
            2220E SVC S n Service Line Information
              STC R n
              REF S 1
              DTP S 1
SE R 1
)"};

}  // namespace hearth::hl7::x12::tables
