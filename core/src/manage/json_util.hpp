// Internal: RapidJSON helpers for the manage area (parse with errors, serialise, merge).
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "keel/error.hpp"

namespace keel::manage::detail {

// Parses `text` as JSON; errors read "<what>: invalid JSON at offset N: <reason>".
Result<void> parse_json(rapidjson::Document& doc, std::string_view text, std::string_view what);
std::string to_text(const rapidjson::Value& v);
// Copies every key of `patch` into `base` (objects merge recursively, others replace).
void merge_into(rapidjson::Value& base, const rapidjson::Value& patch,
                rapidjson::Document::AllocatorType& alloc);

}  // namespace keel::manage::detail
