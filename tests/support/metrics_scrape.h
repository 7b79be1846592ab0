// Reads a service's Prometheus endpoint the way Prometheus does: a plain
// HTTP GET of http://127.0.0.1:PORT/metrics, then the text exposition
// format parsed into samples.
#ifndef UNIONHUB_TESTS_SUPPORT_METRICS_SCRAPE_H_
#define UNIONHUB_TESTS_SUPPORT_METRICS_SCRAPE_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace unionhub::testing {

struct HttpResponse {
  int status = 0;
  std::string body;
};

// GET `path` from 127.0.0.1:`port` over HTTP/1.0 (10 s timeout).
absl::StatusOr<HttpResponse> HttpGet(int port, const std::string& path);

struct MetricSample {
  std::string name;  // as exposed, e.g. unionhub_rpc_duration_seconds_count
  std::map<std::string, std::string> labels;
  double value = 0;
};

// The samples of a text exposition (comments and blank lines skipped).
std::vector<MetricSample> ParseExposition(const std::string& text);

class Scrape {
 public:
  // GET /metrics from `port`; fails the calling test when that fails.
  static Scrape Of(int port);
  explicit Scrape(std::vector<MetricSample> samples)
      : samples_(std::move(samples)) {}

  // Whether a sample `name` has every label of `match`.
  bool Has(const std::string& name,
           const std::map<std::string, std::string>& match = {}) const;
  // The sum of such samples (0 when none).
  double Sum(const std::string& name,
             const std::map<std::string, std::string>& match = {}) const;
  // Every sample name exposed.
  std::set<std::string> Names() const;
  const std::vector<MetricSample>& samples() const { return samples_; }

 private:
  std::vector<MetricSample> samples_;
};

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_SUPPORT_METRICS_SCRAPE_H_
