// The tree-walking evaluator: one Evaluator per evaluate() call holds the environment (resource,
// options, the instant for now()); the compiled tree is only read, so one Expression serves
// many evaluations at once. Function implementations (functions_*.cpp) see a Call.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "fhir/fhirpath/ast.h"
#include "fhir/fhirpath/fhirpath.h"

namespace hearth::fhir::fhirpath::detail {

// What $this, $index and $total mean where a node is evaluated, and the focus that a name
// without a base navigates from.
struct Scope {
  const Collection* focus = nullptr;
  const Item* this_item = nullptr;
  std::int64_t index = -1;
  const Collection* total = nullptr;
};

class Evaluator {
 public:
  Evaluator(const Expression& expression, const EvalOptions& options, const Item* resource,
            const Item* root_resource);

  Status eval(const Node& node, const Scope& scope, Collection& out);
  // An execution error at the node's position.
  Status error(const Node& node, std::string_view message) const;

  const EvalOptions& options() const { return options_; }
  const Item* resource() const { return resource_; }
  const Item* root_resource() const { return root_resource_; }
  const std::string& text() const { return expression_.text(); }
  std::int64_t now_micros() const { return now_micros_; }

 private:
  // eval() of a node into an empty `out`.
  Status eval_node(const Node& node, const Scope& scope, Collection& out);
  // A Node::reuse node: its first result at this depth, kept for the rest of the evaluation.
  Status eval_reused(const Node& node, const Scope& scope, Collection& out);
  Status eval_member(const Node& node, const Scope& scope, Collection& out);
  Status check_static_member(const Node& node) const;
  Status eval_function(const Node& node, const Scope& scope, Collection& out);
  Status eval_variable(const Node& node, const Scope& scope, Collection& out);
  Status eval_indexer(const Node& node, const Scope& scope, Collection& out);
  Status eval_unary(const Node& node, const Scope& scope, Collection& out);
  Status eval_type_op(const Node& node, const Scope& scope, Collection& out);

  const Expression& expression_;
  const EvalOptions& options_;
  const Item* resource_;
  const Item* root_resource_;
  std::int64_t now_micros_;
  int depth_ = 0;
  std::size_t produced_ = 0;  // items produced so far (the work budget)
  // Results of Node::reuse nodes: the items, and the depth and the budget their evaluation
  // took, so that a reuse counts the same work and fails where an evaluation would.
  struct Reused {
    const Node* node;
    int depth;
    std::size_t produced;
    Collection items;
  };
  std::vector<Reused> reused_;
};

// Bounds on one evaluation, so that a hostile expression fails instead of exhausting memory:
// items produced by all nodes together, and the length of any computed string.
inline constexpr std::size_t kMaxProducedItems = 4'000'000;
inline constexpr std::size_t kMaxStringBytes = 1 << 20;

// One function call being evaluated.
struct Call {
  Evaluator& ev;
  const Node& node;
  const Collection& input;
  const Scope& scope;
  std::vector<Collection> args;  // ArgMode::kValues: the evaluated arguments
  Collection& out;

  // Evaluates argument `i` with `item` as focus and $this (ArgMode::kLambda).
  Status eval_arg(std::size_t i, const Item& item, std::int64_t index, Collection& result,
                  const Collection* total = nullptr) const;
  // Evaluates argument `i` against the caller's scope.
  Status eval_arg(std::size_t i, Collection& result) const;
  Status error(std::string_view message) const { return ev.error(node, message); }
};

// Singleton evaluation (http://hl7.org/fhirpath/N1/#singleton-evaluation-of-collections): empty
// -> nullopt, one item convertible to boolean -> its value, one other item -> true, several ->
// error.
Result<std::optional<bool>> singleton_boolean(const Collection& c, const Evaluator& ev,
                                              const Node& node);
// The single item of `c` as a System value; nullopt when `c` is empty or the item has no value;
// an error when `c` has several items.
Result<std::optional<Item>> singleton_value(const Collection& c, const Evaluator& ev,
                                            const Node& node);

Item make_boolean(bool b);
Item make_integer(std::int64_t v);
Item make_string(std::string s);

}  // namespace hearth::fhir::fhirpath::detail
