-- Leases for singleton work when a service runs as several replicas
-- (common/db/lease.h). One row per lease name, never deleted, so the
-- fencing token only ever grows. Times are the database's clock.

CREATE TABLE IF NOT EXISTS leases (
  name VARCHAR(100) NOT NULL PRIMARY KEY,
  -- NewHolderId() of the replica holding it; '' when released.
  holder VARCHAR(160) NOT NULL,
  -- Fencing token: + 1 on every acquisition. Each write of the holder
  -- checks it in the same transaction (CheckLeaseToken).
  token BIGINT NOT NULL,
  acquired_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  renewed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  expires_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  -- Transactions that passed the fence: the check writes this row so that
  -- Galera certifies it against a concurrent takeover.
  fenced_writes BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB;
