-- The ledger's hash chain becomes keyed (HMAC-SHA256 with a key the service
-- holds and the database does not; domain/ledger.h). Rows written before
-- carry version 1 and keep verifying under the unkeyed rule; the service
-- writes version 2 from now on, and the verifier refuses any step back
-- from 2 to 1 (a row re-hashed without the key).
ALTER TABLE ledger_entries
  ADD COLUMN hash_version TINYINT NOT NULL DEFAULT 1;
ALTER TABLE ledger_seals
  ADD COLUMN hash_version TINYINT NOT NULL DEFAULT 1;
