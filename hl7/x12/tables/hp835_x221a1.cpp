// 835 Health Care Claim Payment/Advice, ASC X12N 005010X221A1.
#include "hl7/x12/tables/table_source.h"

namespace hearth::hl7::x12::tables {

const TableSource k835 = {"835", "005010X221A1", "Health Care Claim Payment/Advice", R"(
ST R 1
BPR R 1
TRN R 1
CUR S 1
REF S 2
DTM S 1
1000A N1.1=PR R 1 Payer Identification
  N3 R 1
  N4 R 1
  REF S 4
  PER S n
1000B N1.1=PE R 1 Payee Identification
  N3 S 1
  N4 S 1
  REF S n
  RDM S 1
2000 LX S n Header Number
  TS3 S 1
  TS2 S 1
  2100 CLP R n Claim Payment Information
    CAS S 99
    NM1 R 7
    MIA S 1
    MOA S 1
    REF S n
    DTM S 4
    PER S 3
    AMT S 13
    QTY S 14
    2110 SVC S 999 Service Payment Information
      DTM S 3
      CAS S 99
      REF S n
      AMT S 12
      QTY S 6
      LQ S 99
PLB S n
SE R 1
)"};

}  // namespace hearth::hl7::x12::tables
