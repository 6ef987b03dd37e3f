// 837 Health Care Claim: Professional, ASC X12N 005010X222A1 (loop structure as the TR3 lays
// it out; the hierarchical levels 2000A > 2000B > 2000C nest as their HL parents say).
#include "hl7/x12/tables/table_source.h"

namespace hearth::hl7::x12::tables {

const TableSource k837Professional = {"837", "005010X222A1", "Health Care Claim: Professional",
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
    REF R 3
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
    PAT S 1
    2010BA NM1.1=IL R 1 Subscriber Name
      N3 S 1
      N4 S 1
      DMG S 1
      REF S 2
      PER S 1
    2010BB NM1.1=PR R 1 Payer Name
      N3 S 1
      N4 S 1
      REF S 5
    2300 CLM S 100 Claim Information
      DTP S n
      PWK S 10
      CN1 S 1
      AMT S 1
      REF S n
      K3 S 10
      NTE S 1
      CR1 S 1
      CR2 S 1
      CRC S 8
      HI R 4
      HCP S 1
      2310A NM1.1=DN,P3 S 2 Referring Provider Name
        REF S 3
      2310B NM1.1=82 S 1 Rendering Provider Name
        PRV S 1
        REF S 4
      2310C NM1.1=77 S 1 Service Facility Location Name
        N3 R 1
        N4 R 1
        REF S 3
        PER S 1
      2310D NM1.1=DQ S 1 Supervising Provider Name
        REF S 4
      2310E NM1.1=PW S 1 Ambulance Pick-up Location
        N3 R 1
        N4 R 1
      2310F NM1.1=45 S 1 Ambulance Drop-off Location
        N3 R 1
        N4 R 1
      2320 SBR S 10 Other Subscriber Information
        CAS S 5
        AMT S 3
        OI R 1
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
        2330C NM1.1=DN,P3 S 2 Other Payer Referring Provider
          REF R 3
        2330D NM1.1=82 S 1 Other Payer Rendering Provider
          REF R 3
        2330E NM1.1=77 S 1 Other Payer Service Facility Location
          REF R 3
        2330F NM1.1=DQ S 1 Other Payer Supervising Provider
          REF R 3
        2330G NM1.1=85 S 1 Other Payer Billing Provider
          REF R 2
      2400 LX R 50 Service Line Number
        SV1 R 1
        SV5 S 1
        PWK S 10
        CR1 S 1
        CR3 S 1
        CRC S 5
        DTP R n
        QTY S 2
        MEA S 5
        CN1 S 1
        REF S n
        AMT S 2
        K3 S 10
        NTE S 2
        PS1 S 1
        HCP S 1
        2410 LIN S 1 Drug Identification
          CTP R 1
          REF S 1
        2420A NM1.1=82 S 1 Rendering Provider Name
          PRV S 1
          REF S 20
        2420B NM1.1=QB S 1 Purchased Service Provider Name
          REF S 20
        2420C NM1.1=77 S 1 Service Facility Location Name
          N3 R 1
          N4 R 1
          REF S 3
        2420D NM1.1=DQ S 1 Supervising Provider Name
          REF S 20
        2420E NM1.1=DK S 1 Ordering Provider Name
          N3 S 1
          N4 S 1
          REF S 20
          PER S 1
        2420F NM1.1=DN,P3 S 2 Referring Provider Name
          REF S 20
        2420G NM1.1=PW S 1 Ambulance Pick-up Location
          N3 R 1
          N4 R 1
        2420H NM1.1=45 S 1 Ambulance Drop-off Location
          N3 R 1
          N4 R 1
        2430 SVD S 15 Line Adjudication Information
          CAS S 5
          DTP R 1
          AMT S 1
        2440 LQ S n Form Identification Code
          FRM R 99
    2000C HL.3=23 S n Patient Hierarchical Level
      PAT R 1
      2010CA NM1.1=QC R 1 Patient Name
        N3 R 1
        N4 R 1
        DMG R 1
        REF S 2
        PER S 1
      &2300 R 100
SE R 1
)"};

}  // namespace hearth::hl7::x12::tables
