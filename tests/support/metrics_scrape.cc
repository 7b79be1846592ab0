#include "tests/support/metrics_scrape.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace unionhub::testing {

absl::StatusOr<HttpResponse> HttpGet(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket");
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    close(fd);
    return absl::UnavailableError(absl::StrCat("connect to port ", port));
  }
  const std::string request =
      absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
  if (send(fd, request.data(), request.size(), 0) !=
      static_cast<ssize_t>(request.size())) {
    close(fd);
    return absl::UnavailableError("send");
  }
  std::string raw;
  char buffer[8192];
  while (true) {
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n < 0) {
      close(fd);
      return absl::DeadlineExceededError("recv");
    }
    if (n == 0) break;
    raw.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  const size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos || raw.compare(0, 5, "HTTP/") != 0) {
    return absl::DataLossError("not an HTTP response");
  }
  HttpResponse response;
  const std::vector<std::string> status_line =
      absl::StrSplit(raw.substr(0, raw.find("\r\n")), ' ');
  if (status_line.size() < 2 ||
      !absl::SimpleAtoi(status_line[1], &response.status)) {
    return absl::DataLossError("bad status line");
  }
  response.body = raw.substr(head_end + 4);
  return response;
}

std::vector<MetricSample> ParseExposition(const std::string& text) {
  std::vector<MetricSample> samples;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    MetricSample sample;
    size_t value_at = 0;
    const size_t brace = line.find('{');
    const size_t space = line.find(' ');
    if (brace != absl::string_view::npos && brace < space) {
      sample.name = std::string(line.substr(0, brace));
      size_t i = brace + 1;
      // name="value" pairs; values may hold escaped quotes and commas.
      while (i < line.size() && line[i] != '}') {
        const size_t eq = line.find('=', i);
        if (eq == absl::string_view::npos || eq + 1 >= line.size()) break;
        std::string key(absl::StripAsciiWhitespace(line.substr(i, eq - i)));
        std::string value;
        size_t j = eq + 2;  // past ="
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\' && j + 1 < line.size()) ++j;
          value.push_back(line[j]);
        }
        sample.labels[key] = value;
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      value_at = line.find(' ', i);
    } else {
      sample.name = std::string(line.substr(0, space));
      value_at = space;
    }
    if (value_at == absl::string_view::npos) continue;
    absl::string_view value = absl::StripAsciiWhitespace(line.substr(value_at));
    value = value.substr(0, value.find(' '));  // a timestamp may follow
    if (value == "+Inf") {
      sample.value = HUGE_VAL;
    } else if (!absl::SimpleAtod(value, &sample.value)) {
      continue;
    }
    samples.push_back(std::move(sample));
  }
  return samples;
}

Scrape Scrape::Of(int port) {
  absl::StatusOr<HttpResponse> response = HttpGet(port, "/metrics");
  if (!response.ok()) {
    ADD_FAILURE() << "scrape of port " << port << ": " << response.status();
    return Scrape({});
  }
  EXPECT_EQ(response->status, 200) << response->body;
  return Scrape(ParseExposition(response->body));
}

namespace {

bool Matches(const MetricSample& sample, const std::string& name,
             const std::map<std::string, std::string>& match) {
  if (sample.name != name) return false;
  for (const auto& [key, value] : match) {
    auto it = sample.labels.find(key);
    if (it == sample.labels.end() || it->second != value) return false;
  }
  return true;
}

}  // namespace

bool Scrape::Has(const std::string& name,
                 const std::map<std::string, std::string>& match) const {
  for (const MetricSample& sample : samples_) {
    if (Matches(sample, name, match)) return true;
  }
  return false;
}

double Scrape::Sum(const std::string& name,
                   const std::map<std::string, std::string>& match) const {
  double sum = 0;
  for (const MetricSample& sample : samples_) {
    if (Matches(sample, name, match)) sum += sample.value;
  }
  return sum;
}

std::set<std::string> Scrape::Names() const {
  std::set<std::string> names;
  for (const MetricSample& sample : samples_) names.insert(sample.name);
  return names;
}

}  // namespace unionhub::testing
