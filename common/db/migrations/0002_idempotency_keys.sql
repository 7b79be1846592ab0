-- The stored first answer of every mutating request (common/db/idempotency.h).
-- IF NOT EXISTS because schemas migrated before this set existed got the
-- table from their service's 0001_init.

CREATE TABLE IF NOT EXISTS idempotency_keys (
  -- A client request_id, or request_id#batch for each batch of a stream.
  request_id VARCHAR(80) NOT NULL PRIMARY KEY,
  method VARCHAR(128) NOT NULL,
  fingerprint CHAR(64) NOT NULL,
  response MEDIUMBLOB NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB;
