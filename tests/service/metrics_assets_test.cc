// The Grafana dashboard and the alert rules in k8s/observability use only
// metrics the services really expose: every metric name in their PromQL is
// found in a scrape of real membership, finance and awards hosts. With
// promtool installed (Debian's prometheus package), the rules also pass
// `promtool check rules`.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "tests/support/awards_fixture.h"
#include "tests/support/metrics_scrape.h"

namespace unionhub::testing {
namespace {

std::string Observability(const std::string& file) {
  return absl::StrCat(UNIONHUB_SOURCE_DIR, "/k8s/observability/", file);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void CollectExprs(const nlohmann::json& node, std::vector<std::string>* out) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if ((key == "expr" || key == "definition") && value.is_string()) {
        out->push_back(value.get<std::string>());
      } else if (key == "query" && value.is_object() &&
                 value.contains("query")) {
        out->push_back(value["query"].get<std::string>());
      } else {
        CollectExprs(value, out);
      }
    }
  } else if (node.is_array()) {
    for (const auto& item : node) CollectExprs(item, out);
  }
}

// Every `expr:` of the rules file; each must be on its line (no block
// scalars), which the file's header promises.
std::vector<std::string> RuleExprs(const std::string& yaml) {
  std::vector<std::string> exprs;
  for (absl::string_view line : absl::StrSplit(yaml, '\n')) {
    absl::string_view trimmed = absl::StripLeadingAsciiWhitespace(line);
    if (!absl::ConsumePrefix(&trimmed, "expr:")) continue;
    trimmed = absl::StripAsciiWhitespace(trimmed);
    EXPECT_FALSE(trimmed.empty() || trimmed == "|" || trimmed == ">" ||
                 trimmed == "|-" || trimmed == ">-")
        << "an expr must sit on one line: " << line;
    exprs.emplace_back(trimmed);
  }
  return exprs;
}

// The metric names a PromQL expression selects: every identifier that
// starts with unionhub_ (label names and values never do), as written,
// suffixes included: a histogram's _bucket, _sum and _count are what a
// scrape exposes, so they are looked up as such.
std::set<std::string> MetricNames(const std::vector<std::string>& exprs) {
  static const std::regex kName("unionhub_[a-zA-Z0-9_:]*");
  std::set<std::string> names;
  for (const std::string& expr : exprs) {
    for (std::sregex_iterator it(expr.begin(), expr.end(), kName), end;
         it != end; ++it) {
      names.insert(it->str());
    }
  }
  return names;
}

TEST(MetricsAssets, EveryMetricTheDashboardAndAlertsUseIsExposed) {
  ServerLimits limits;
  limits.serve_metrics = true;
  AwardsServer server("metrics_assets", limits);
  FinanceServer& finance = server.finance_server();
  MembershipServer& membership = server.membership();
  const std::vector<int> ports = {
      membership.metrics_port(), finance.metrics_port(), server.metrics_port()};
  for (int port : ports) ASSERT_GT(port, 0);
  server.Sync();

  // The database readings (migrations, ledger) come with the first
  // refresh; wait for them on every service.
  std::set<std::string> exposed;
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  for (int port : ports) {
    Scrape scrape = Scrape::Of(port);
    while (!scrape.Has("unionhub_db_migration_version") &&
           absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(100));
      scrape = Scrape::Of(port);
    }
    const std::set<std::string> names = scrape.Names();
    exposed.insert(names.begin(), names.end());
  }
  // An excerpt for the log: finance's series other than histogram buckets.
  absl::StatusOr<HttpResponse> finance_scrape =
      HttpGet(finance.metrics_port(), "/metrics");
  ASSERT_TRUE(finance_scrape.ok()) << finance_scrape.status();
  for (absl::string_view line : absl::StrSplit(finance_scrape->body, '\n')) {
    if (absl::StartsWith(line, "unionhub_") &&
        !absl::StrContains(line, "_bucket") &&
        !absl::StrContains(line, "method=")) {
      std::cout << line << "\n";
    }
  }

  std::vector<std::string> exprs;
  const std::string dashboard =
      ReadFile(Observability("unionhub-dashboard.json"));
  nlohmann::json json = nlohmann::json::parse(dashboard, nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << "dashboard JSON does not parse";
  CollectExprs(json, &exprs);
  const size_t dashboard_exprs = exprs.size();
  const std::string rules = ReadFile(Observability("unionhub-alerts.yaml"));
  const std::vector<std::string> rule_exprs = RuleExprs(rules);
  exprs.insert(exprs.end(), rule_exprs.begin(), rule_exprs.end());
  EXPECT_GE(dashboard_exprs, 15u);
  EXPECT_GE(rule_exprs.size(), 5u);

  const std::set<std::string> used = MetricNames(exprs);
  EXPECT_GE(used.size(), 15u);
  for (const std::string& name : used) {
    EXPECT_TRUE(exposed.count(name) > 0)
        << name << " is used by k8s/observability but no service exposes it";
  }

  // Every alert says how bad it is, for how long, and what, in both
  // languages.
  int alerts = 0;
  for (absl::string_view line : absl::StrSplit(rules, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (absl::StartsWith(line, "- alert:")) ++alerts;
  }
  EXPECT_EQ(alerts, static_cast<int>(rule_exprs.size()));
  auto count = [&](absl::string_view needle) {
    int n = 0;
    for (absl::string_view line : absl::StrSplit(rules, '\n')) {
      if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), needle)) {
        ++n;
      }
    }
    return n;
  };
  EXPECT_EQ(count("for:"), alerts);
  EXPECT_EQ(count("severity:"), alerts);
  EXPECT_EQ(count("summary:"), alerts);
  for (absl::string_view line : absl::StrSplit(rules, '\n')) {
    line = absl::StripLeadingAsciiWhitespace(line);
    if (!absl::StartsWith(line, "summary:")) continue;
    // Chinese (bytes of a CJK character in UTF-8) and English.
    EXPECT_TRUE(absl::StrContains(line, "\xe6") ||
                absl::StrContains(line, "\xe8") ||
                absl::StrContains(line, "\xe5"))
        << line;
    EXPECT_TRUE(absl::StrContains(line, " / ")) << line;
  }

  // promtool, when present, checks the rules as Prometheus would load them:
  // the PrometheusRule's spec is a rules file.
  if (std::system("command -v promtool >/dev/null 2>&1") == 0) {
    const std::string path =
        absl::StrCat(::testing::TempDir(), "/unionhub-rules.yaml");
    std::ofstream out(path);
    bool in_spec = false;
    for (absl::string_view line : absl::StrSplit(rules, '\n')) {
      if (line == "spec:") {
        in_spec = true;
        continue;
      }
      if (in_spec) out << (line.size() >= 2 ? line.substr(2) : line) << "\n";
    }
    out.close();
    EXPECT_EQ(std::system(absl::StrCat("promtool check rules ", path).c_str()),
              0);
  }
}

}  // namespace
}  // namespace unionhub::testing
