// Captures the log lines written in this process (common/core/log.h) while
// it lives, e.g. the access lines of the in-process test servers.
#ifndef UNIONHUB_TESTS_SUPPORT_LOG_CAPTURE_H_
#define UNIONHUB_TESTS_SUPPORT_LOG_CAPTURE_H_

#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/core/log.h"

namespace unionhub::testing {

class LogCapture {
 public:
  LogCapture() {
    log::SetObserver([this](absl::string_view line) {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.emplace_back(line);
    });
  }
  ~LogCapture() { log::SetObserver(nullptr); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  // The lines so far that contain every one of `parts`.
  std::vector<std::string> Lines(const std::vector<std::string>& parts = {}) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> out;
    for (const std::string& line : lines_) {
      bool all = true;
      for (const std::string& part : parts) {
        all = all && absl::StrContains(line, part);
      }
      if (all) out.push_back(line);
    }
    return out;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SUPPORT_LOG_CAPTURE_H_
