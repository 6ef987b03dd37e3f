// Small X12 interchanges the x12 unit tests share, written with '*', ':', '^' and '~'.
#pragma once

#include <string>
#include <string_view>

namespace hearth::hl7::x12::test {

// A fixed-width 5010 ISA with control number 000000905 and ISA14 = `ack`.
inline std::string isa(char ack = '0') {
  return std::string("ISA*00*          *00*          *ZZ*SUBMITTERS.ID  *ZZ*RECEIVERS.ID   *") +
         "030101*1253*^*00501*000000905*" + ack + "*T*:~";
}

// The body of one valid 837P (005010X222A1) transaction set: ST..SE, 19 segments.
inline std::string claim_837p(std::string_view control = "0021") {
  const std::string c(control);
  return "ST*837*" + c +
         "*005010X222A1~"
         "BHT*0019*00*244579*20061015*1023*CH~"
         "NM1*41*2*PREMIER BILLING SERVICE*****46*TGJ23~"
         "PER*IC*JERRY*TE*3055552222~"
         "NM1*40*2*KEY INSURANCE COMPANY*****46*66783JJT~"
         "HL*1**20*1~"
         "NM1*85*2*BEN KILDARE SERVICE*****XX*9876543210~"
         "N3*234 SEAWAY ST~"
         "N4*MIAMI*FL*33111~"
         "REF*EI*587654321~"
         "HL*2*1*22*0~"
         "SBR*P*18*******CI~"
         "NM1*IL*1*SMITH*TED****MI*000221111A~"
         "NM1*PR*2*KEY INSURANCE COMPANY*****PI*999996666~"
         "CLM*26463774*100***11:B:1*Y*A*Y*I~"
         "HI*ABK:J0300*ABF:Z1159~"
         "LX*1~"
         "SV1*HC:99213*40*UN*1***1~"
         "DTP*472*D8*20061003~"
         "SE*20*" +
         c + "~";
}

// One interchange with one group holding `body` (transaction sets); GE01 = `sets`.
inline std::string interchange(const std::string& body, int sets = 1, char ack = '0') {
  return isa(ack) + "GS*HC*SENDER*RECEIVER*20061015*1023*1*X*005010X222A1~" + body + "GE*" +
         std::to_string(sets) + "*1~IEA*1*000000905~";
}

}  // namespace hearth::hl7::x12::test
