// Progress on a terminal: one line on stderr, rewritten in place, only
// when stderr is a terminal (so pipes, files and tests stay quiet).
#ifndef UNIONHUB_TOOLS_UNIONCTL_PROGRESS_H_
#define UNIONHUB_TOOLS_UNIONCTL_PROGRESS_H_

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

namespace unionhub::unionctl {

class Progress {
 public:
  // `label` leads the line, e.g. "importing members".
  explicit Progress(std::string label);
  // Clears the line (and stops the ticker).
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  bool enabled() const { return enabled_; }
  // Shows "<label>: <status>", at most ten times a second unless `force`.
  void Set(const std::string& status, bool force = false);
  // Shows the elapsed seconds once a second while waiting on one call.
  void StartTicker();

 private:
  void Draw(const std::string& status);

  const std::string label_;
  const bool enabled_;
  const std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_{};
  std::mutex mu_;
  std::atomic<bool> stop_{false};
  std::thread ticker_;
  size_t drawn_ = 0;
};

}  // namespace unionhub::unionctl

#endif  // UNIONHUB_TOOLS_UNIONCTL_PROGRESS_H_
