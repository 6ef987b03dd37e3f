// The input of the codec benchmark: a Bundle (type collection) of official R4 examples, in
// file-name order, grown until it reaches a target size, as compact FHIR JSON text.
#pragma once

#include <cstddef>
#include <string>

namespace hearth::bench {

// Reads the package's example files (*.json with a resourceType, no Bundles: they would nest)
// and returns the Bundle's JSON text; stops adding entries once `target_bytes` is reached.
// Throws std::runtime_error when the package cannot be read.
std::string make_example_bundle(const std::string& package_dir, std::size_t target_bytes,
                                std::size_t* entries_out);

}  // namespace hearth::bench
