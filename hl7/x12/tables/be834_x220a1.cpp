// 834 Benefit Enrollment and Maintenance, ASC X12N 005010X220A1.
#include "hl7/x12/tables/table_source.h"

namespace hearth::hl7::x12::tables {

const TableSource k834 = {"834", "005010X220A1", "Benefit Enrollment and Maintenance", R"(
ST R 1
BGN R 1
REF S 1
DTP S 6
QTY S 3
1000A N1.1=P5 R 1 Sponsor Name
1000B N1.1=IN R 1 Payer
1000C N1.1=BO,TV S 2 TPA/Broker Name
  ACT S 1
2000 INS S n Member Level Detail
  REF R n
  DTP S 24
  2100A NM1.1=IL,74 R 1 Member Name
    PER S 1
    N3 S 1
    N4 S 1
    DMG S 1
    EC S n
    ICM S 1
    AMT S 7
    HLH S 1
    LUI S n
  2100B NM1.1=70 S 1 Incorrect Member Name
    DMG S 1
  2100C NM1.1=31 S 1 Member Mailing Address
    N3 R 1
    N4 R 1
  2100D NM1.1=M8 S 3 Member Employer
    PER S 1
    N3 S 1
    N4 S 1
  2100E NM1.1=M9 S 3 Member School
    PER S 1
    N3 S 1
    N4 S 1
  2100F NM1.1=S3 S 1 Custodial Parent
    PER S 1
    N3 S 1
    N4 S 1
  2100G NM1.1=6Y,9K,E1,EI,EXS,GB,GD,J6,LR,QD,S1,TZ,X4 S 13 Responsible Person
    PER S 1
    N3 S 1
    N4 S 1
  2100H NM1.1=45 S 1 Drop Off Location
    N3 S 1
    N4 S 1
  2200 DSB S 1 Disability Information
    DTP S 2
  2300 HD S 99 Health Coverage
    DTP R 6
    AMT S 9
    REF S 14
    IDC S 3
    2310 LX S 30 Provider Information
      NM1 R 1
      N3 S 2
      N4 S 1
      PER S 2
      PLA S 1
    2320 COB S 5 Coordination of Benefits
      REF S 4
      DTP S 3
      2330 NM1 S 3 Coordination of Benefits Related Entity
        N3 S 1
        N4 S 1
        PER S 1
  LS S 1
  2700 LX S n Member Reporting Categories
    2750 N1.1=75 R 1 Reporting Category
      REF S 1
      DTP S 1
  LE S 1
SE R 1
)"};

}  // namespace hearth::hl7::x12::tables
