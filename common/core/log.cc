#include "common/core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/core/trace.h"

namespace unionhub::log {
namespace {

std::atomic<int> min_level{static_cast<int>(Level::kInfo)};
std::mutex component_mu;
std::string& ComponentName() {
  static std::string name = "unionhub";
  return name;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

std::mutex observer_mu;
std::function<void(absl::string_view)>& Observer() {
  static auto* observer = new std::function<void(absl::string_view)>();
  return *observer;
}
std::atomic<bool> observed{false};

}  // namespace

void SetObserver(std::function<void(absl::string_view line)> observer) {
  std::lock_guard<std::mutex> lock(observer_mu);
  observed = static_cast<bool>(observer);
  Observer() = std::move(observer);
}

void SetMinLevel(Level level) { min_level = static_cast<int>(level); }

void SetComponent(absl::string_view component) {
  std::lock_guard<std::mutex> lock(component_mu);
  ComponentName() = std::string(component);
}

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

void Write(Level level, absl::string_view message,
           std::initializer_list<Field> fields) {
  if (static_cast<int>(level) < min_level.load()) return;
  std::string component;
  {
    std::lock_guard<std::mutex> lock(component_mu);
    component = ComponentName();
  }
  std::string line =
      absl::StrCat("{\"ts\":\"",
                   absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                    absl::UTCTimeZone()),
                   "\",\"level\":\"", LevelName(level), "\",\"component\":\"",
                   JsonEscape(component), "\"");
  if (const trace::Context* context = trace::Current(); context != nullptr) {
    // Hex digits only: nothing to escape.
    absl::StrAppend(&line, ",\"trace\":\"", context->trace_id, "\"");
  }
  absl::StrAppend(&line, ",\"msg\":\"", JsonEscape(message), "\"");
  for (const auto& [key, value] : fields) {
    absl::StrAppend(&line, ",\"", JsonEscape(key), "\":\"", JsonEscape(value),
                    "\"");
  }
  line += "}";
  if (observed.load()) {
    std::lock_guard<std::mutex> lock(observer_mu);
    if (Observer()) Observer()(line);
  }
  line += "\n";
  // One fwrite per line keeps concurrent lines whole.
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace unionhub::log
