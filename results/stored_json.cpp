#include "results/stored_json.hpp"

#include "results/errors.hpp"

namespace actsweep::results {

nlohmann::json parseStoredJson(const std::string& text, const std::string& what) {
  const auto limitDepth = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > kMaxStoredJsonDepth)
      throw StoreError(what + ": nested deeper than " + std::to_string(kMaxStoredJsonDepth) +
                       " levels; not a file actsweep wrote (check where it came from)");
    return true;
  };
  try {
    return nlohmann::json::parse(text, limitDepth);
  } catch (const nlohmann::json::parse_error& e) {
    throw StoreError(what + ": not valid JSON (" + e.what() +
                     "); not a file actsweep wrote (check where it came from)");
  }
}

std::string jsonText(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace actsweep::results
