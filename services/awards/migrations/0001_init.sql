-- audit_trail and idempotency_keys are common/db/migrations/, applied
-- before this file. Schemas migrated before they moved there recorded:
-- supersedes sha256 d4364d6063392976bec1522f80696a1001e6650c9db854b5ac76fb23e928d1be

-- unionhub_awards: programmes, nominations, review, publicity, honours.
-- A programme's configuration (allocations, rules, holidays) is kept as its
-- serialized unionhub.awards.v1.Program in `spec`; what changes or is
-- searched has its own column.

-- Where awards is in membership's change feed; moved in the same
-- transaction as whatever an event changed here.
CREATE TABLE feed_cursor (
  id TINYINT NOT NULL PRIMARY KEY,
  last_sequence BIGINT NOT NULL
) ENGINE=InnoDB;
INSERT INTO feed_cursor (id, last_sequence) VALUES (1, 0);

CREATE TABLE programs (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organizer_org_id BIGINT NOT NULL,
  title VARCHAR(128) NOT NULL,
  level TINYINT NOT NULL,
  year SMALLINT NOT NULL,
  status TINYINT NOT NULL,
  spec MEDIUMBLOB NOT NULL,
  publicity_starts_on DATE NULL,
  publicity_ends_on DATE NULL,
  finalized_on DATE NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY programs_org (organizer_org_id, id),
  KEY programs_year (year, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE nominations (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  program_id BIGINT NOT NULL,
  nominating_org_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL DEFAULT 0,
  subject_org_id BIGINT NOT NULL DEFAULT 0,
  subject_name VARCHAR(128) NOT NULL,
  citation TEXT NOT NULL,
  status TINYINT NOT NULL,
  status_reason VARCHAR(512) NOT NULL DEFAULT '',
  -- serialized unionhub.awards.v1.EligibilityEvidence (empty until checked)
  evidence MEDIUMBLOB NOT NULL,
  -- the nominee's national ID, sealed with the personal-data key
  national_id_sealed VARBINARY(512) NOT NULL DEFAULT '',
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY nominations_program (program_id, id),
  KEY nominations_org (program_id, nominating_org_id),
  KEY nominations_member (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE reviewers (
  program_id BIGINT NOT NULL,
  subject VARCHAR(128) NOT NULL,
  name VARCHAR(128) NOT NULL,
  org_id BIGINT NOT NULL,
  PRIMARY KEY (program_id, subject)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A reviewer's current vote on a nomination (a later vote replaces it).
CREATE TABLE votes (
  nomination_id BIGINT NOT NULL,
  subject VARCHAR(128) NOT NULL,
  choice TINYINT NOT NULL,
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (nomination_id, subject)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE vote_comments (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  nomination_id BIGINT NOT NULL,
  subject VARCHAR(128) NOT NULL,
  comment TEXT NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY vote_comments_nomination (nomination_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE objections (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  program_id BIGINT NOT NULL,
  nomination_id BIGINT NOT NULL,
  filed_by VARCHAR(128) NOT NULL,
  grounds TEXT NOT NULL,
  status TINYINT NOT NULL,
  resolution TEXT NOT NULL,
  resolved_by VARCHAR(128) NOT NULL DEFAULT '',
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  resolved_at TIMESTAMP(6) NULL,
  KEY objections_program (program_id, status),
  KEY objections_nomination (nomination_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE honours (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  program_id BIGINT NOT NULL,
  nomination_id BIGINT NOT NULL,
  title VARCHAR(128) NOT NULL,
  level TINYINT NOT NULL,
  year SMALLINT NOT NULL,
  subject_type TINYINT NOT NULL,
  member_id BIGINT NOT NULL DEFAULT 0,
  org_id BIGINT NOT NULL DEFAULT 0,
  subject_name VARCHAR(128) NOT NULL,
  awarded_on DATE NOT NULL,
  status TINYINT NOT NULL,
  revoked_reason VARCHAR(512) NOT NULL DEFAULT '',
  revoked_on DATE NULL,
  UNIQUE KEY honours_nomination (nomination_id),
  KEY honours_member (member_id, id),
  KEY honours_org (org_id, id),
  KEY honours_program (program_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
