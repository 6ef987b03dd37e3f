// The compiled form of an expression: an immutable tree built once by the parser and walked by
// the evaluator. Function calls are bound to their table entry (functions.h) at compile time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fhir/fhirpath/item.h"

namespace hearth::fhir::fhirpath::detail {

struct FunctionDef;

enum class NodeKind : std::uint8_t {
  kLiteral,   // literal (Item)
  kEmpty,     // {}
  kMember,    // [base.]name: child navigation (or the type name of the focus at the root)
  kFunction,  // [base.]name(args)
  kThis,      // $this
  kIndex,     // $index
  kTotal,     // $total
  kVariable,  // %name
  kIndexer,   // base[args[0]]
  kUnary,     // op base (op is kAdd or kSub)
  kBinary,    // base op args[0]
  kIs,        // base is type
  kAs,        // base as type
};

enum class BinaryOp : std::uint8_t {
  kMul,
  kDiv,
  kIntDiv,
  kMod,
  kAdd,
  kSub,
  kConcat,
  kUnion,
  kLt,
  kGt,
  kLe,
  kGe,
  kEq,
  kNe,
  kEquiv,
  kNotEquiv,
  kIn,
  kContains,
  kAnd,
  kOr,
  kXor,
  kImplies,
};

// A type specifier: "FHIR"/"System" or "" when unqualified, and the type name.
struct TypeSpec {
  std::string ns;
  std::string name;
};

struct Node {
  NodeKind kind = NodeKind::kLiteral;
  BinaryOp op = BinaryOp::kAdd;
  std::uint32_t pos = 0;  // 1-based position in the expression text
  std::string name;       // member, function or variable name
  std::unique_ptr<Node> base;
  std::vector<std::unique_ptr<Node>> args;
  Item literal;
  TypeSpec type;                    // kIs, kAs, and functions taking a type argument
  const FunctionDef* fn = nullptr;  // kFunction
  // Set by compile(): a subtree that reads neither the focus nor $this/$index/$total (only
  // literals, %variables and what follows from them), inside a function's argument, so it may
  // be evaluated once per item of an iteration (`entry.all(request.exists() = (%resource.type =
  // 'batch' or ...))`) with the same result each time: the evaluator keeps its first result.
  bool reuse = false;
};

}  // namespace hearth::fhir::fhirpath::detail
