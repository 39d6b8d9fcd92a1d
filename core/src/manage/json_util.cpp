// RapidJSON helpers: parse with readable errors, compact text, recursive merge.
#include "json_util.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace keel::manage::detail {

Result<void> parse_json(rapidjson::Document& doc, std::string_view text, std::string_view what) {
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError())
    return fail(std::string(what) + ": invalid JSON at offset " +
                std::to_string(doc.GetErrorOffset()) + ": " +
                rapidjson::GetParseError_En(doc.GetParseError()));
  return {};
}

std::string to_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

void merge_into(rapidjson::Value& base, const rapidjson::Value& patch,
                rapidjson::Document::AllocatorType& alloc) {
  if (!base.IsObject() || !patch.IsObject()) {
    base.CopyFrom(patch, alloc);
    return;
  }
  for (auto it = patch.MemberBegin(); it != patch.MemberEnd(); ++it) {
    auto found = base.FindMember(it->name);
    if (found == base.MemberEnd()) {
      rapidjson::Value key(it->name, alloc);
      rapidjson::Value value(it->value, alloc);
      base.AddMember(key, value, alloc);
    } else {
      merge_into(found->value, it->value, alloc);
    }
  }
}

}  // namespace keel::manage::detail
