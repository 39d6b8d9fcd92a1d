// Parsing, validation and serialisation of OCI runtime-spec 1.3 config.json and process JSON.
//
// Errors name the document and the JSON path of the offending value, runc-style:
//   config.json: process.capabilities.bounding[3]: unknown capability "CAP_FOO"
//   config.json: linux.namespaces[2].type: expected a string
//   config.json: line 3 column 7: invalid JSON: Missing a comma or '}' after an object member.
// Unknown fields are ignored (like Go's encoding/json in runc); JSON null counts as absent; a value
// of the wrong type is an error.
#pragma once

#include <string>
#include <string_view>

#include "keel/error.hpp"
#include "keel/spec/model.hpp"

namespace keel::spec {

// Parses and validates config.json text.
Result<Config> parse_config(std::string_view json);

// Reads <bundle_dir>/config.json (errors name that file), then parses and validates it.
Result<Config> load_config(const std::string& bundle_dir);

// A process JSON as engines pass to `exec --process` (validated like config.process).
Result<Process> parse_process(std::string_view json);

// Serialises back to JSON. For a Config, non-empty resources_json / seccomp_json are written
// verbatim as linux.resources / linux.seccomp (they carry fields the typed model does not know);
// whoever changes the typed resources or seccomp must refresh them with the functions below.
std::string to_json(const Config&);
std::string to_json(const Process&);
std::string to_json(const Resources&);
std::string to_json(const Seccomp&);

}  // namespace keel::spec
