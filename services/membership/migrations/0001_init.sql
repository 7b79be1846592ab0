-- audit_trail and idempotency_keys are common/db/migrations/, applied
-- before this file. Schemas migrated before they moved there recorded:
-- supersedes sha256 c0c8fe574e1af458596af90d32e4b8f3d80bf956f1b0b5a3ba29f783c35ce64c

-- Membership schema v1: organisations, employers, members with dated
-- periods for as-of queries, member history, the event outbox, and the
-- idempotency keys of mutating requests.

-- Block allocation of ids that must be known before a multi-row insert
-- (member ids, from which card numbers derive).
CREATE TABLE counters (
  name VARCHAR(32) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  value BIGINT NOT NULL
) ENGINE=InnoDB;

INSERT INTO counters (name, value) VALUES ('member_id', 0), ('event_sequence', 0);

CREATE TABLE orgs (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  parent_id BIGINT NULL,
  type TINYINT NOT NULL,
  name VARCHAR(100) NOT NULL,
  status TINYINT NOT NULL,
  region_code VARCHAR(6) CHARACTER SET ascii NOT NULL DEFAULT '',
  -- Materialised path of ids, root first, this org last: '/1/5/23/'.
  -- A subtree is every row whose path starts with the root's path.
  path VARCHAR(700) CHARACTER SET ascii NOT NULL,
  employer_id BIGINT NULL,
  legal_person_certified BOOLEAN NOT NULL DEFAULT FALSE,
  legal_person_certified_on DATE NULL,
  established_on DATE NULL,
  dissolved_on DATE NULL,
  dissolved_reason VARCHAR(200) NOT NULL DEFAULT '',
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY orgs_parent (parent_id, id),
  KEY orgs_path (path),
  -- Not unique: after a union is dissolved its employer may found another.
  -- employers.union_org_id names the current one.
  KEY orgs_employer (employer_id),
  CONSTRAINT orgs_parent_fk FOREIGN KEY (parent_id) REFERENCES orgs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE employers (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  credit_code CHAR(18) CHARACTER SET ascii NOT NULL,
  ownership TINYINT NOT NULL,
  headcount INT NOT NULL,
  above_designated_size BOOLEAN NOT NULL,
  address VARCHAR(300) NOT NULL DEFAULT '',
  area_org_id BIGINT NULL,
  -- The employer's latest union (possibly dissolved since).
  union_org_id BIGINT NULL,
  -- Path of the org whose subtree counts this employer: its union when it
  -- has one, else the area it is located in.
  coverage_path VARCHAR(700) CHARACTER SET ascii NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY employers_credit_code (credit_code),
  KEY employers_coverage (coverage_path),
  CONSTRAINT employers_area_fk FOREIGN KEY (area_org_id) REFERENCES orgs (id),
  CONSTRAINT employers_union_fk FOREIGN KEY (union_org_id) REFERENCES orgs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE members (
  id BIGINT NOT NULL PRIMARY KEY,
  -- The national ID is personal data: stored only AES-256-GCM sealed
  -- (common/crypto/pii.h) and found through its keyed hash.
  national_id_sealed VARBINARY(96) NOT NULL,
  national_id_index BINARY(32) NOT NULL,
  name VARCHAR(50) NOT NULL,
  sex TINYINT NOT NULL,
  birth_date DATE NOT NULL,
  mobile CHAR(11) CHARACTER SET ascii NOT NULL,
  household TINYINT NOT NULL,
  ethnicity VARCHAR(20) NOT NULL DEFAULT '',
  education TINYINT NOT NULL,
  front_line BOOLEAN NOT NULL,
  migrant_worker BOOLEAN NOT NULL,
  model_worker_level TINYINT NOT NULL,
  enterprise_leader BOOLEAN NOT NULL,
  wage_base_fen BIGINT NOT NULL,
  org_id BIGINT NOT NULL,
  card_number VARCHAR(16) CHARACTER SET ascii NOT NULL,
  status TINYINT NOT NULL,
  retained_reason TINYINT NOT NULL DEFAULT 0,
  status_reason VARCHAR(200) NOT NULL DEFAULT '',
  joined_on DATE NOT NULL,
  status_since DATE NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY members_national_id (national_id_index),
  UNIQUE KEY members_card (card_number),
  KEY members_org (org_id, id),
  CONSTRAINT members_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Where a member was and in which status, from valid_from until valid_to
-- (exclusive; NULL = still so). Coverage "as of" a date reads this.
CREATE TABLE member_periods (
  member_id BIGINT NOT NULL,
  valid_from DATE NOT NULL,
  valid_to DATE NULL,
  org_id BIGINT NOT NULL,
  status TINYINT NOT NULL,
  PRIMARY KEY (member_id, valid_from),
  KEY member_periods_org (org_id, valid_from),
  CONSTRAINT member_periods_member_fk FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB;

CREATE TABLE member_history (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  effective_on DATE NOT NULL,
  from_org_id BIGINT NOT NULL DEFAULT 0,
  to_org_id BIGINT NOT NULL DEFAULT 0,
  from_status TINYINT NOT NULL DEFAULT 0,
  to_status TINYINT NOT NULL DEFAULT 0,
  reason VARCHAR(200) NOT NULL DEFAULT '',
  changed_fields VARCHAR(300) CHARACTER SET ascii NOT NULL DEFAULT '',
  request_id VARCHAR(64) NOT NULL DEFAULT '',
  recorded_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY member_history_member (member_id, id),
  CONSTRAINT member_history_member_fk FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The transactional outbox. Payloads never hold national IDs: readers get
-- them from members (they cannot change). Sequences come from counters.event_sequence,
-- taken as the last step of each writing transaction: its row lock is held
-- until commit, so events become visible in sequence order with no gaps
-- and a reader resuming after N misses nothing.
CREATE TABLE events (
  sequence BIGINT NOT NULL PRIMARY KEY,
  type SMALLINT NOT NULL,
  payload MEDIUMBLOB NOT NULL,
  recorded_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB;
