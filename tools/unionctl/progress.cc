#include "tools/unionctl/progress.h"

#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "tools/unionctl/text.h"

namespace unionhub::unionctl {

Progress::Progress(std::string label)
    : label_(std::move(label)),
      enabled_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() {
  stop_ = true;
  if (ticker_.joinable()) ticker_.join();
  std::lock_guard<std::mutex> lock(mu_);
  if (enabled_ && drawn_ > 0) {
    std::fprintf(stderr, "\r%s\r", std::string(drawn_, ' ').c_str());
    std::fflush(stderr);
  }
}

void Progress::Draw(const std::string& status) {
  const std::string line = absl::StrCat(label_, ": ", status);
  const size_t width = static_cast<size_t>(DisplayWidth(line));
  const std::string blank =
      drawn_ > width ? std::string(drawn_ - width, ' ') : std::string();
  std::fprintf(stderr, "\r%s%s", line.c_str(), blank.c_str());
  std::fflush(stderr);
  drawn_ = width;
}

void Progress::Set(const std::string& status, bool force) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  Draw(status);
}

void Progress::StartTicker() {
  if (!enabled_ || ticker_.joinable()) return;
  ticker_ = std::thread([this] {
    while (!stop_) {
      const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::steady_clock::now() - start_)
                               .count();
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (stop_) break;
        Draw(absl::StrCat("waiting, ", seconds, " s"));
      }
      for (int i = 0; i < 10 && !stop_; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  });
}

}  // namespace unionhub::unionctl
