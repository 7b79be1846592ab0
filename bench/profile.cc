#include "bench/profile.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/auth/jwt.h"
#include "common/db/sql.h"

namespace unionhub::bench {

using db::Connection;

namespace {

// The counters worth reading per call; Questions counts every statement a
// client sent, i.e. round trips (prepares and closes included).
const char* const kCounters[] = {
    "Questions",
    "Com_stmt_prepare",
    "Com_stmt_execute",
    "Com_stmt_close",
    "Com_select",
    "Com_insert",
    "Com_update",
    "Com_delete",
    "Com_begin",
    "Com_commit",
    "Com_rollback",
    "Com_set_option",
    "Handler_commit",
    "Innodb_data_fsyncs",
    "Innodb_os_log_fsyncs",
    "Innodb_log_writes",
    "Innodb_row_lock_waits",
    "Innodb_row_lock_time",
};

absl::StatusOr<std::map<std::string, int64_t>> ReadCounters(db::Pool& root) {
  std::map<std::string, int64_t> out;
  absl::Status s = root.Run([&](Connection& conn) {
    auto rs = db::Query(conn, "SHOW GLOBAL STATUS");
    while (rs->next()) {
      const std::string name = rs->getString(1);
      for (const char* wanted : kCounters) {
        if (name == wanted) {
          int64_t v = 0;
          if (absl::SimpleAtoi(std::string(rs->getString(2)), &v))
            out[name] = v;
        }
      }
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace

absl::Status ProfileStatements(db::Pool& root, const std::string& name,
                               int callers, int calls, const CallFn& call) {
  // The idle window first: what the services (feed followers, workers) and
  // this reading itself cost without calls.
  absl::StatusOr<std::map<std::string, int64_t>> a = ReadCounters(root);
  if (!a.ok()) return a.status();
  const absl::Time start = absl::Now();
  Budget budget;
  budget.calls_per_caller = std::max(1, calls / callers);
  // Stops early after a minute: concurrent writes can stall for minutes
  // (docs/performance.md, the idempotency keys' gap locks).
  budget.min_calls_per_caller = 1;
  budget.duration = absl::Minutes(1);
  const Result run = Run(callers, budget, 0, call);
  calls = static_cast<int>(run.calls);
  const int64_t errors = run.errors;
  const absl::Duration busy = absl::Now() - start;
  absl::StatusOr<std::map<std::string, int64_t>> b = ReadCounters(root);
  if (!b.ok()) return b.status();
  // At most 5 s of idle window, scaled to the busy time (a stalled run
  // must not double the wait).
  const absl::Duration idle_window = std::min(busy, absl::Seconds(5));
  absl::SleepFor(idle_window);
  absl::StatusOr<std::map<std::string, int64_t>> c = ReadCounters(root);
  if (!c.ok()) return c.status();
  const double idle_scale =
      idle_window > absl::ZeroDuration() ? busy / idle_window : 1.0;
  absl::PrintF(
      "%s, %d callers: %d calls in %.2f s (%d failed); per call, an idle "
      "window (scaled to the same length) subtracted:\n",
      name, callers, calls, absl::ToDoubleSeconds(busy), errors);
  for (const char* counter : kCounters) {
    if (b->count(counter) == 0) continue;  // not in this server version
    const double during = static_cast<double>((*b)[counter] - (*a)[counter]);
    const double idle =
        static_cast<double>((*c)[counter] - (*b)[counter]) * idle_scale;
    absl::PrintF("  %-22s %8.2f   (idle window %.0f in all)\n", counter,
                 (during - idle) / calls, idle);
  }
  return absl::OkStatus();
}

absl::Status PrintGeneralLog(db::Pool& root, const std::string& name,
                             const std::string& log_file, int calls,
                             const CallFn& call) {
  std::string own_id;
  absl::Status s = root.Run([&](Connection& conn) {
    auto rs = db::Query(conn, "SELECT CONNECTION_ID() AS id");
    rs->next();
    own_id = absl::StrCat(db::GetInt64(*rs, "id"));
    db::Execute(conn, "SET GLOBAL log_output = 'FILE'");
    db::Execute(conn, "SET GLOBAL general_log_file = ?", log_file);
    db::Execute(conn, "SET GLOBAL general_log = ON");
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  for (int i = 0; i < calls; ++i) (void)call(0);
  s = root.Run([&](Connection& conn) {
    db::Execute(conn, "SET GLOBAL general_log = OFF");
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  std::ifstream in(log_file);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", log_file));
  absl::PrintF(
      "%s: the statements of %d calls (general log, other "
      "connections than this tool's):\n",
      name, calls);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    // "[<date> <time>]\t    <id> <Command>\t<argument>": the time only on
    // the first line of a second (else the line starts with two tabs);
    // continuation lines of a statement have no such column.
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    size_t at = 0;
    while (at < cols.size() && cols[at].empty()) ++at;
    if (at == 0) ++at;  // skip the time
    if (at + 1 >= cols.size()) continue;
    std::vector<std::string> id_cmd =
        absl::StrSplit(cols[at], ' ', absl::SkipEmpty());
    int64_t id = 0;
    if (id_cmd.size() < 2 || !absl::SimpleAtoi(id_cmd[0], &id) ||
        id_cmd[0] == own_id) {
      continue;
    }
    const std::string& cmd = id_cmd[1];
    if (cmd == "Connect" || cmd == "Quit") continue;
    std::string arg = cols[at + 1];
    if (arg.size() > 150) arg = absl::StrCat(arg.substr(0, 150), "...");
    absl::PrintF("  %3d conn %-4s %-8s %s\n", ++n, id_cmd[0], cmd, arg);
  }
  return absl::OkStatus();
}

absl::Status PrintJwtCost(const std::string& token,
                          const std::string& public_key_pem) {
  auth::VerifierConfig config;
  config.public_key_pem = public_key_pem;
  config.issuer = "unionhub-dev";
  config.audience = "unionhub";
  absl::StatusOr<std::unique_ptr<auth::TokenVerifier>> verifier =
      auth::TokenVerifier::Create(config);
  if (!verifier.ok()) return verifier.status();
  // The first call checks the signature; the verifier then remembers the
  // token (common/auth/verified_tokens.h), so the rest are what a caller's
  // later calls cost the gate.
  absl::Time start = absl::Now();
  absl::StatusOr<auth::Claims> first = (*verifier)->Verify(token, start);
  if (!first.ok()) return first.status();
  const absl::Duration first_cost = absl::Now() - start;
  constexpr int kRuns = 2000;
  start = absl::Now();
  for (int i = 0; i < kRuns; ++i) {
    absl::StatusOr<auth::Claims> claims =
        (*verifier)->Verify(token, absl::Now());
    if (!claims.ok()) return claims.status();
  }
  absl::PrintF(
      "JWT RS256 verification (the gate's per-call check): first call %.1f "
      "us (signature checked), then %.2f us per call (remembered token), %d "
      "runs in this process\n",
      absl::ToDoubleMicroseconds(first_cost),
      absl::ToDoubleMicroseconds(absl::Now() - start) / kRuns, kRuns);
  return absl::OkStatus();
}

}  // namespace unionhub::bench
