#pragma once
/// The current time as ISO 8601 UTC ("YYYY-MM-DDThh:mm:ssZ"), for results-file metadata.
#include <ctime>
#include <string>

namespace ionhop::app {

inline std::string utc_now_iso8601() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace ionhop::app
