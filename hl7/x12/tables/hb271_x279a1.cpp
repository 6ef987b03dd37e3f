// 271 Health Care Eligibility Benefit Response, ASC X12N 005010X279A1.
#include "hl7/x12/tables/table_source.h"

namespace hearth::hl7::x12::tables {

const TableSource k271 = {"271", "005010X279A1", "Health Care Eligibility Benefit Response", R"(
ST R 1
BHT R 1
2000A HL.3=20 R n Information Source Level
  AAA S 9
  2100A NM1 R 1 Information Source Name
    PER S 3
    AAA S 9
  2000B HL.3=21 S n Information Receiver Level
    2100B NM1 R 1 Information Receiver Name
      REF S 9
      AAA S 9
      PRV S 1
    2000C HL.3=22 S n Subscriber Level
      TRN S 3
      2100C NM1 R 1 Subscriber Name
        REF S 9
        N3 S 1
        N4 S 1
        AAA S 9
        PRV S 1
        DMG S 1
        INS S 1
        HI S 1
        DTP S 9
        MPI S 1
        2110C EB S n Subscriber Eligibility or Benefit Information
          HSD S 9
          REF S 9
          DTP S 20
          AAA S 9
          MSG S 10
          2115C III S 10 Subscriber Eligibility or Benefit Additional Information
          LS S 1
          2120C NM1 S 23 Subscriber Benefit Related Entity Name
            N3 S 1
            N4 S 1
            PER S 3
            PRV S 1
          LE S 1
      2000D HL.3=23 S n Dependent Level
        TRN S 3
        2100D NM1 R 1 Dependent Name
          REF S 9
          N3 S 1
          N4 S 1
          AAA S 9
          PRV S 1
          DMG S 1
          INS S 1
          HI S 1
          DTP S 9
          MPI S 1
          2110D EB S n Dependent Eligibility or Benefit Information
            HSD S 9
            REF S 9
            DTP S 20
            AAA S 9
            MSG S 10
            2115D III S 10 Dependent Eligibility or Benefit Additional Information
            LS S 1
            2120D NM1 S 23 Dependent Benefit Related Entity Name
              N3 S 1
              N4 S 1
              PER S 3
              PRV S 1
            LE S 1
SE R 1
)"};

}  // namespace hearth::hl7::x12::tables
