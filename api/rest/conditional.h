// Conditional operations' matching (https://hl7.org/fhir/R4/http.html#ccreate, #cond-update,
// #3.1.0.7.1 conditional delete, bundle.html conditional references): the resources of a type
// that a search query string ("identifier=sys|val&active=true", as in If-None-Exist or the query
// of `PUT Patient?...`) selects, looked up with the same search engine as GET [type]?...
//
// The criteria are parsed strictly: an unknown parameter is an error, never ignored, since
// ignoring it would widen the match and update or delete the wrong resource. Token `:in`,
// `:not-in`, `:below` and `:above` use the CodeSystems and ValueSets stored in Hearth (as read
// through the same reader) before the built-in ones, as a search does (terminology_source.h).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "fhir/search/search_query.h"
#include "storage/resource_store.h"

namespace hearth::api {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Parses a query string ("a=1&b=2", percent-encoded) into parameters. Errors: kInvalidArgument
// for bad percent-encoding.
Result<QueryParams> parse_criteria(std::string_view query);

// `criteria` as the TokenLookup parse_search and storage::direct_token_lookup make of it, found
// without parsing a search, when it is one plain "param=system|code" of a token parameter of
// `type` whose rows are its own (no modifier, chain, OR, escape, or empty system or code): the
// shape of every identifier lookup a mapped message makes. nullopt for anything else (a custom
// SearchParameter included), which parse_search then reads. The lookup's views point into
// `type` and `criteria`.
std::optional<storage::TokenLookup> plain_token_lookup(std::string_view type,
                                                       const QueryParams& criteria,
                                                       std::size_t limit);

// The current resources of `type` matching `criteria`, at most `most` + 1 of them (so that a
// caller allowing `most` can tell "too many"). `limits.terminology`, when null, is the stored
// terminology `reader` sees. Errors: kInvalidArgument for no criteria, an unknown parameter or a
// bad value (parse_search; a value set or code system of a modifier that is not held or cannot be
// used); the reader's errors.
// `direct_only`: kNotImplemented unless the criteria are one direct token lookup the reader
// answers (storage::direct_token_lookup): no search is planned.
Result<std::vector<storage::ResourceVersion>> find_matches(
    storage::ResourceReader& reader, std::string_view type, const QueryParams& criteria,
    std::string_view base_url, const fhir::search::SearchLimits& limits, std::size_t most = 1,
    bool direct_only = false);

// find_matches' answer (at most `most` + 1 resources) to each of `criteria` (a type and its
// criteria, both outliving the call) that is a plain token lookup, the lookups made together
// (storage::ResourceReader::lookup_tokens: one statement per type and parameter on SQLite); nullopt
// for every other, and for all of them when the reader has no such path or fails (find_matches
// then asks again, and answers with the error).
std::vector<std::optional<std::vector<storage::ResourceVersion>>> prefetch_matches(
    storage::ResourceReader& reader,
    std::span<const std::pair<std::string_view, const QueryParams*>> criteria,
    std::size_t most = 1);

}  // namespace hearth::api
