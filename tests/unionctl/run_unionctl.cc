#include "tests/unionctl/run_unionctl.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace unionhub::testing {

std::map<std::string, std::string> UnionctlEnv(FinanceServer& server,
                                               const std::string& token) {
  return {
      {"UNIONHUB_MEMBERSHIP_ADDRESS", server.membership().target()},
      {"UNIONHUB_FINANCE_ADDRESS", server.target()},
      {"UNIONHUB_CA_FILE", SecretsDir() + "/ca.pem"},
      {"UNIONHUB_TOKEN", token},
      {"PATH", "/usr/bin:/bin"},
  };
}

std::string MakeTempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(base != nullptr ? base : "/tmp", "/unionctl-test.XXXXXX");
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  const char* dir = mkdtemp(buffer.data());
  EXPECT_NE(dir, nullptr);
  return dir != nullptr ? dir : "/tmp";
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteWholeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

Ran RunUnionctl(const std::vector<std::string>& args,
                const std::map<std::string, std::string>& env,
                const std::string& cwd) {
  static int runs = 0;
  static const std::string dir = MakeTempDir();
  ++runs;
  const std::string out_path = absl::StrCat(dir, "/run", runs, ".out");
  const std::string err_path = absl::StrCat(dir, "/run", runs, ".err");
  std::vector<std::string> argv_s = {UNIONCTL_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<std::string> env_s;
  for (const auto& [k, v] : env) env_s.push_back(absl::StrCat(k, "=", v));
  std::vector<char*> argv, envp;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);

  const pid_t pid = fork();
  if (pid == 0) {
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  Ran ran;
  int status = 0;
  if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status)) {
    ran.exit_code = WEXITSTATUS(status);
  }
  ran.out = ReadWholeFile(out_path);
  ran.err = ReadWholeFile(err_path);
  return ran;
}

}  // namespace unionhub::testing
