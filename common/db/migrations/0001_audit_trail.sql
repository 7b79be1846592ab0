-- Every mutating call, allowed or refused (common/rpc/gate.h). Append-only:
-- the triggers refuse changes and deletions from any account. IF NOT EXISTS
-- because schemas migrated before this set existed got the table from their
-- service's own migrations (0001_init or 0002_audit_trail).

CREATE TABLE IF NOT EXISTS audit_trail (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  recorded_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  actor VARCHAR(128) NOT NULL,
  roles VARCHAR(256) NOT NULL,
  method VARCHAR(160) NOT NULL,
  target VARCHAR(256) NOT NULL,
  request_id VARCHAR(80) NOT NULL,
  result VARCHAR(32) NOT NULL,
  detail VARCHAR(512) NOT NULL,
  KEY audit_trail_actor (actor, id),
  KEY audit_trail_method (method, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TRIGGER IF NOT EXISTS audit_trail_no_update BEFORE UPDATE ON audit_trail FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_trail is append-only';

CREATE TRIGGER IF NOT EXISTS audit_trail_no_delete BEFORE DELETE ON audit_trail FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_trail is append-only';
