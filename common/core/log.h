// Structured logs: one JSON object per line on stderr, so log shippers parse
// them without patterns. Never pass national ID numbers or tokens here.
// A line written while a trace context is current (common/core/trace.h)
// carries its id as "trace", so one request can be followed across the
// services' logs.
#ifndef UNIONHUB_COMMON_CORE_LOG_H_
#define UNIONHUB_COMMON_CORE_LOG_H_

#include <functional>
#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace unionhub::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

using Field = std::pair<absl::string_view, std::string>;

void SetMinLevel(Level level);
// The component name written on every line (e.g. "membership").
void SetComponent(absl::string_view component);
void Write(Level level, absl::string_view message,
           std::initializer_list<Field> fields = {});

inline void Info(absl::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, m, f);
}
inline void Warn(absl::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kWarn, m, f);
}
inline void Error(absl::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kError, m, f);
}

// Also hands every line (without its newline) to `observer`, e.g. a test
// watching what servers in its process logged; an empty one removes it.
void SetObserver(std::function<void(absl::string_view line)> observer);

// JSON string escaping, exposed for tests.
std::string JsonEscape(absl::string_view text);

}  // namespace unionhub::log

#endif  // UNIONHUB_COMMON_CORE_LOG_H_
