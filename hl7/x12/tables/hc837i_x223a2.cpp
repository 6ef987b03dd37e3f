// 837 Health Care Claim: Institutional, ASC X12N 005010X223A2.
#include "hl7/x12/tables/table_source.h"

namespace hearth::hl7::x12::tables {

const TableSource k837Institutional = {"837", "005010X223A2", "Health Care Claim: Institutional",
                                       R"(
ST R 1
BHT R 1
1000A NM1.1=41 R 1 Submitter Name
  PER R 2
1000B NM1.1=40 R 1 Receiver Name
2000A HL.3=20 R n Billing Provider Hierarchical Level
  PRV S 1
  CUR S 1
  2010AA NM1.1=85 R 1 Billing Provider Name
    N3 R 1
    N4 R 1
    REF R 2
    PER S 2
  2010AB NM1.1=87 S 1 Pay-to Address Name
    N3 R 1
    N4 R 1
  2010AC NM1.1=PE S 1 Pay-To Plan Name
    N3 R 1
    N4 R 1
    REF R 2
  2000B HL.3=22 R n Subscriber Hierarchical Level
    SBR R 1
    2010BA NM1.1=IL R 1 Subscriber Name
      N3 S 1
      N4 S 1
      DMG S 1
      REF S 2
    2010BB NM1.1=PR R 1 Payer Name
      N3 S 1
      N4 S 1
      REF S 5
    2300 CLM S 100 Claim Information
      DTP R n
      CL1 S 1
      PWK S 10
      CN1 S 1
      AMT S 1
      REF S n
      K3 S 10
      NTE S 11
      CRC S 1
      HI R n
      HCP S 1
      2310A NM1.1=71 S 1 Attending Provider Name
        PRV S 1
        REF S 4
      2310B NM1.1=72 S 1 Operating Physician Name
        REF S 4
      2310C NM1.1=ZZ S 1 Other Operating Physician Name
        REF S 4
      2310D NM1.1=82 S 1 Rendering Provider Name
        REF S 4
      2310E NM1.1=77 S 1 Service Facility Location Name
        N3 R 1
        N4 R 1
        REF S 3
      2310F NM1.1=DN S 1 Referring Provider Name
        REF S 3
      2320 SBR S 10 Other Subscriber Information
        CAS S 5
        AMT S 3
        OI R 1
        MIA S 1
        MOA S 1
        2330A NM1.1=IL R 1 Other Subscriber Name
          N3 S 1
          N4 S 1
          REF S 1
        2330B NM1.1=PR R 1 Other Payer Name
          N3 S 1
          N4 S 1
          DTP S 1
          REF S n
        2330C NM1.1=71 S 1 Other Payer Attending Provider
          REF R 3
        2330D NM1.1=72 S 1 Other Payer Operating Physician
          REF R 3
        2330E NM1.1=ZZ S 1 Other Payer Other Operating Physician
          REF R 3
        2330F NM1.1=77 S 1 Other Payer Service Facility Location
          REF R 3
        2330G NM1.1=82 S 1 Other Payer Rendering Provider Name
          REF R 3
        2330H NM1.1=DN S 1 Other Payer Referring Provider
          REF R 3
        2330I NM1.1=85 S 1 Other Payer Billing Provider
          REF R 2
      2400 LX R 999 Service Line Number
        SV2 R 1
        PWK S 10
        DTP S 1
        REF S n
        AMT S 2
        NTE S 1
        HCP S 1
        2410 LIN S 1 Drug Identification
          CTP R 1
          REF S 1
        2420A NM1.1=72 S 1 Operating Physician Name
          REF S 20
        2420B NM1.1=ZZ S 1 Other Operating Physician Name
          REF S 20
        2420C NM1.1=82 S 1 Rendering Provider Name
          REF S 20
        2420D NM1.1=DN S 1 Referring Provider Name
          REF S 20
        2430 SVD S 25 Line Adjudication Information
          CAS S 5
          DTP R 1
          AMT S 1
    2000C HL.3=23 S n Patient Hierarchical Level
      PAT R 1
      2010CA NM1.1=QC R 1 Patient Name
        N3 R 1
        N4 R 1
        DMG R 1
        REF S 2
      &2300 R 100
SE R 1
)"};

}  // namespace hearth::hl7::x12::tables
