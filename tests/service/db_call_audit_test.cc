// The audit row of an allowed mutating call is written by the call's own
// transaction (common/rpc/call_audit.h) against the real test MariaDB: it
// commits with the change, rolls back with a refused one, and a COMMIT that
// landed but whose reply was lost -- made deterministic by a TCP proxy
// between the pool and the server that swallows the server's answer to the
// first COMMIT and cuts the connection -- is retried by the pool without a
// second row (the autocommit row of before could land twice this way).
#include <arpa/inet.h>
#include <google/protobuf/wrappers.pb.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/db/sql.h"
#include "common/rpc/call_audit.h"
#include "common/rpc/idempotent.h"
#include "tests/support/test_env.h"

namespace unionhub::testing {
namespace {

// A request message with a string field (the request_id's own type) is
// enough: RunIdempotent only fingerprints it and stores the response.
using Message = ::google::protobuf::StringValue;

// Forwards TCP connections on 127.0.0.1 to the test server. Once armed, the
// first client packet that is the text command COMMIT is forwarded; the
// server's reply is then read and dropped and both sides are closed, so
// the COMMIT has happened on the server while the client sees its
// connection lost. One thread per connection, poll() over both sockets.
class CommitReplyDropper {
 public:
  explicit CommitReplyDropper(int server_port) : server_port_(server_port) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr),
              0);
    socklen_t len = sizeof addr;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    EXPECT_EQ(listen(listener_, 16), 0);
    acceptor_ = std::thread([this] { Accept(); });
  }

  ~CommitReplyDropper() {
    stopping_ = true;
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    acceptor_.join();
    for (std::thread& t : pumps_) t.join();
  }

  int port() const { return port_; }
  void Arm() { armed_ = true; }
  int dropped() const { return dropped_; }

 private:
  void Accept() {
    while (!stopping_) {
      const int client = accept(listener_, nullptr, nullptr);
      if (client < 0) return;
      const int server = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      addr.sin_port = htons(static_cast<uint16_t>(server_port_));
      if (connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) !=
          0) {
        close(client);
        close(server);
        continue;
      }
      pumps_.emplace_back([this, client, server] { Pump(client, server); });
    }
  }

  static bool SendAll(int fd, const char* data, size_t size) {
    while (size > 0) {
      const ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
      if (n <= 0) return false;
      data += n;
      size -= static_cast<size_t>(n);
    }
    return true;
  }

  // Forwards whole client packets (3-byte length, sequence, payload),
  // looking for COM_QUERY (0x03) "COMMIT" once armed.
  bool ForwardClientPackets(std::string& pending, int server,
                            bool* swallow_reply) {
    while (pending.size() >= 4) {
      const size_t length = static_cast<unsigned char>(pending[0]) |
                            static_cast<unsigned char>(pending[1]) << 8 |
                            static_cast<unsigned char>(pending[2]) << 16;
      if (pending.size() < 4 + length) break;
      const std::string packet = pending.substr(0, 4 + length);
      pending.erase(0, 4 + length);
      if (armed_ && packet.substr(4) == std::string("\x03") + "COMMIT") {
        armed_ = false;
        *swallow_reply = true;
      }
      if (!SendAll(server, packet.data(), packet.size())) return false;
    }
    return true;
  }

  void Pump(int client, int server) {
    std::string pending;
    bool swallow_reply = false;
    char buffer[65536];
    while (!stopping_) {
      pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
      if (poll(fds, 2, 200) < 0) break;
      if (fds[0].revents != 0) {
        const ssize_t n = recv(client, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        pending.append(buffer, static_cast<size_t>(n));
        if (!ForwardClientPackets(pending, server, &swallow_reply)) break;
      }
      if (fds[1].revents != 0) {
        const ssize_t n = recv(server, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        if (swallow_reply) {
          // The server answered the COMMIT: it is done. The client never
          // hears of it.
          ++dropped_;
          break;
        }
        if (!SendAll(client, buffer, static_cast<size_t>(n))) break;
      }
    }
    close(client);
    close(server);
  }

  const int server_port_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> armed_{false};
  std::atomic<int> dropped_{0};
  std::thread acceptor_;
  std::vector<std::thread> pumps_;
};

rpc::AuditRow OkRow(const std::string& request_id) {
  rpc::AuditRow row;
  row.actor = "clerk";
  row.roles = "finance_clerk";
  row.method = "unionhub.test.v1.Test.Write";
  row.request_id = request_id;
  row.result = "OK";
  return row;
}

class CallAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InstallTestPii();
    database_ = std::make_unique<TestDatabase>("call_audit");
    database_->Migrate({});  // audit_trail and idempotency_keys
    database_->Exec(
        "CREATE TABLE writes (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
        "request_id VARCHAR(64) NOT NULL)");
  }

  // One idempotent write of `request_id` through `pool`, as a handler does
  // it: a row in `writes`, the response naming that row's id. `refuse`
  // makes the change fail after its write (a refusal inside the
  // transaction).
  absl::Status Write(db::Pool& pool, const std::string& request_id,
                     Message* response, bool refuse = false) {
    Message request;
    request.set_value(request_id);
    return rpc::RunIdempotent<Message>(
        pool, "Write", request_id, request, response,
        [&](db::Connection& conn, Message* out) -> absl::Status {
          auto rs = db::Query(conn,
                              "INSERT INTO writes (request_id) VALUES (?) "
                              "RETURNING id",
                              request_id);
          rs->next();
          out->set_value(absl::StrCat(db::GetInt64(*rs, "id")));
          if (refuse) {
            return absl::FailedPreconditionError("refused after writing");
          }
          return absl::OkStatus();
        });
  }

  int64_t Count(const std::string& sql, const std::string& request_id) {
    int64_t n = -1;
    EXPECT_TRUE(absl::SimpleAtoi(database_->QueryValue(sql, request_id), &n));
    return n;
  }
  int64_t AuditRows(const std::string& request_id) {
    return Count("SELECT COUNT(*) FROM audit_trail WHERE request_id = ?",
                 request_id);
  }
  int64_t Writes(const std::string& request_id) {
    return Count("SELECT COUNT(*) FROM writes WHERE request_id = ?",
                 request_id);
  }

  std::unique_ptr<TestDatabase> database_;
};

TEST_F(CallAuditTest, RowCommitsWithTheChangeOnce) {
  Message response;
  {
    rpc::CallAudit audit(OkRow("call-1"));
    ASSERT_TRUE(Write(database_->pool(), "call-1", &response).ok());
    EXPECT_TRUE(audit.committed());
    EXPECT_EQ(rpc::CallAudit::Pending(), nullptr) << "one row a call";
  }
  EXPECT_EQ(AuditRows("call-1"), 1);
  EXPECT_EQ(Writes("call-1"), 1);
  EXPECT_EQ(database_->QueryValue(
                "SELECT CONCAT(actor, '/', method, '/', result) FROM "
                "audit_trail WHERE request_id = ?",
                std::string("call-1")),
            "clerk/unionhub.test.v1.Test.Write/OK");

  // The client's retry is a call of its own: it gets the stored answer and
  // its own row, and nothing else is written.
  Message replayed;
  {
    rpc::CallAudit audit(OkRow("call-1"));
    ASSERT_TRUE(Write(database_->pool(), "call-1", &replayed).ok());
    EXPECT_TRUE(audit.committed());
  }
  EXPECT_EQ(replayed.value(), response.value());
  EXPECT_EQ(AuditRows("call-1"), 2);
  EXPECT_EQ(Writes("call-1"), 1);
}

TEST_F(CallAuditTest, RowRollsBackWithARefusedChange) {
  Message response;
  rpc::CallAudit audit(OkRow("call-2"));
  EXPECT_EQ(
      Write(database_->pool(), "call-2", &response, /*refuse=*/true).code(),
      absl::StatusCode::kFailedPrecondition);
  // Nothing of the call is in the tables: the gate writes the refusal's row
  // on its own (gate.cc), and the key is free for a corrected request.
  EXPECT_FALSE(audit.committed());
  EXPECT_NE(rpc::CallAudit::Pending(), nullptr);
  EXPECT_EQ(AuditRows("call-2"), 0);
  EXPECT_EQ(Writes("call-2"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM idempotency_keys WHERE request_id = ?",
                  "call-2"),
            0);
}

TEST_F(CallAuditTest, CommitWhoseReplyIsLostLeavesOneRow) {
  // The proxy speaks TCP; scripts/test's server listens there too.
  const char* port = std::getenv("UNIONHUB_TEST_DB_PORT");
  int server_port = 0;
  ASSERT_TRUE(port != nullptr && absl::SimpleAtoi(port, &server_port));
  CommitReplyDropper proxy(server_port);
  db::DbConfig config = database_->config();
  config.uri = absl::StrCat("tcp://127.0.0.1:", proxy.port());
  db::Pool pool(config);
  ASSERT_TRUE(pool.Ping().ok());

  Message response;
  proxy.Arm();
  {
    rpc::CallAudit audit(OkRow("call-3"));
    const absl::Status status = Write(pool, "call-3", &response);
    ASSERT_TRUE(status.ok()) << status;
    EXPECT_TRUE(audit.committed());
  }
  ASSERT_EQ(proxy.dropped(), 1) << "the COMMIT's reply was not cut off";
  // The first attempt's COMMIT landed; its retry found this call's own
  // answer and wrote neither the change nor the row again.
  EXPECT_EQ(Writes("call-3"), 1);
  EXPECT_EQ(AuditRows("call-3"), 1);
  EXPECT_EQ(database_->QueryValue(
                "SELECT CAST(id AS CHAR) FROM writes WHERE request_id = ?",
                std::string("call-3")),
            response.value());
}

}  // namespace
}  // namespace unionhub::testing
