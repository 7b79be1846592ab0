// Runs the real unionctl binary as a child process against the test
// services and captures what it prints, as a person's shell would.
#ifndef UNIONHUB_TESTS_UNIONCTL_RUN_UNIONCTL_H_
#define UNIONHUB_TESTS_UNIONCTL_RUN_UNIONCTL_H_

#include <map>
#include <string>
#include <vector>

#include "tests/support/finance_fixture.h"

namespace unionhub::testing {

struct Ran {
  int exit_code = -1;  // -1: did not exit normally
  std::string out, err;
};

// The environment a user has after `scripts/up` and `export
// UNIONHUB_TOKEN=...`: the two addresses, the CA, and `token`.
std::map<std::string, std::string> UnionctlEnv(FinanceServer& server,
                                               const std::string& token);

// Runs `unionctl args...` with exactly `env`, in `cwd` when given.
Ran RunUnionctl(const std::vector<std::string>& args,
                const std::map<std::string, std::string>& env,
                const std::string& cwd = "");

// A fresh temporary directory (not removed: the tests leave their files
// for inspection under $TMPDIR).
std::string MakeTempDir();

std::string ReadWholeFile(const std::string& path);
void WriteWholeFile(const std::string& path, const std::string& text);

}  // namespace unionhub::testing

#endif  // UNIONHUB_TESTS_UNIONCTL_RUN_UNIONCTL_H_
