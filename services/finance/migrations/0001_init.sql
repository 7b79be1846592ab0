-- audit_trail and idempotency_keys are common/db/migrations/, applied
-- before this file. Schemas migrated before they moved there recorded:
-- supersedes sha256 403aa69459f2c0b53198468e628264d7e425cbe17ca334e8f101d28d7ec2587c
-- The ledger sequence became NOCACHE (Galera refuses a cached sequence);
-- schemas migrated before recorded:
-- supersedes sha256 65f1334be527c496ef6033129d0c966933b5bfacb8d82a3ab78131db6c3a499c

-- unionhub_finance: the finance-and-audit service's own schema.
-- Months are 'YYYY-MM' (CHAR(7), ordered as text), money BIGINT fen.
-- Ledger tables (ledger_entries, ledger_postings, ledger_seals) are
-- append-only: the service's user is granted only SELECT and INSERT on them
-- (see FinanceGrants in services/finance/store/grants.cc).

-- ------------------------------------------------------------- roster
-- Finance's copy of membership, fed by WatchEvents. The cursor moves in the
-- same transaction as each applied change.

CREATE TABLE roster_cursor (
  id TINYINT NOT NULL PRIMARY KEY,
  last_sequence BIGINT NOT NULL,
  last_event_time TIMESTAMP(6) NULL,
  applied_at TIMESTAMP(6) NULL
) ENGINE=InnoDB;
INSERT INTO roster_cursor (id, last_sequence) VALUES (1, 0);

CREATE TABLE roster_orgs (
  org_id BIGINT NOT NULL PRIMARY KEY,
  parent_id BIGINT NOT NULL,
  path VARCHAR(255) NOT NULL,        -- '/1/5/23/', this org included
  name VARCHAR(128) NOT NULL,
  type INT NOT NULL,
  status INT NOT NULL,
  region_code VARCHAR(6) NOT NULL,
  province_code VARCHAR(6) NOT NULL, -- from the nearest region code upward
  KEY roster_orgs_path (path),
  KEY roster_orgs_parent (parent_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE roster_employers (
  employer_id BIGINT NOT NULL PRIMARY KEY,
  name VARCHAR(128) NOT NULL,
  credit_code VARCHAR(18) NOT NULL,
  union_org_id BIGINT NOT NULL,      -- 0 when it never had a union
  area_org_id BIGINT NOT NULL,
  union_established BOOLEAN NOT NULL,
  headcount INT NOT NULL,
  above_designated_size BOOLEAN NOT NULL,
  KEY roster_employers_union (union_org_id),
  KEY roster_employers_area (area_org_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The current state of each member.
CREATE TABLE roster_members (
  member_id BIGINT NOT NULL PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  national_id_index BINARY(32) NOT NULL,  -- keyed hash, for payroll matching
  card_number VARCHAR(16) NOT NULL,
  org_id BIGINT NOT NULL,
  status INT NOT NULL,
  wage_base_fen BIGINT NOT NULL,
  credit_fen BIGINT NOT NULL DEFAULT 0,   -- overpaid dues not yet applied
  KEY roster_members_index (national_id_index),
  KEY roster_members_card (card_number),
  KEY roster_members_org (org_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Dated states: the full state of a member from valid_from on (until the
-- next row), so assessment can ask "ACTIVE on the month's last day, at
-- which wage and in which org".
CREATE TABLE roster_member_states (
  member_id BIGINT NOT NULL,
  valid_from DATE NOT NULL,
  sequence BIGINT NOT NULL,          -- the membership event applied
  org_id BIGINT NOT NULL,
  status INT NOT NULL,
  wage_base_fen BIGINT NOT NULL,
  PRIMARY KEY (member_id, valid_from, sequence),
  KEY roster_states_from (valid_from)
) ENGINE=InnoDB;

-- ------------------------------------------------------------- dues

CREATE TABLE dues_policies (
  policy_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  scope_org_id BIGINT NOT NULL,
  scope_path VARCHAR(255) NOT NULL,
  effective_from CHAR(7) NOT NULL,
  rate_bp BIGINT NOT NULL,
  ignore_below_fen BIGINT NOT NULL,
  note VARCHAR(256) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per AssessDues run that charged something new (or nothing: the
-- run is still recorded). Charges point at their run; the run points at its
-- ledger entry, which is posted last and so cannot be known when the
-- charges are written.
CREATE TABLE dues_assessments (
  assessment_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  month CHAR(7) NOT NULL,
  org_id BIGINT NOT NULL,            -- the subtree assessed; 0 = whole tree
  org_path VARCHAR(255) NOT NULL,
  members_charged INT NOT NULL,
  already_charged INT NOT NULL,
  total_due_fen BIGINT NOT NULL,
  credit_applied_fen BIGINT NOT NULL,
  entry_id BIGINT NOT NULL DEFAULT 0,  -- 0 when nothing was posted
  request_id VARCHAR(80) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY dues_assessments_month (month, assessment_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every assessment of a month first locks the month's row here, so runs
-- over overlapping subtrees serialise and each sees the other's charges
-- (its snapshot is taken after the lock).
CREATE TABLE dues_assessed_months (
  month CHAR(7) NOT NULL PRIMARY KEY,
  runs BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One charge per member and month; paid_fen grows as payments settle it.
-- org_path is the charged org's path at assessment, so rollups stay
-- consistent with the charge.
CREATE TABLE dues_charges (
  member_id BIGINT NOT NULL,
  month CHAR(7) NOT NULL,
  org_id BIGINT NOT NULL,
  org_path VARCHAR(255) NOT NULL,
  wage_base_fen BIGINT NOT NULL,
  rate_bp BIGINT NOT NULL,
  due_fen BIGINT NOT NULL,
  paid_fen BIGINT NOT NULL DEFAULT 0,
  settled BOOLEAN NOT NULL,          -- paid_fen >= due_fen
  assessment_id BIGINT NOT NULL,     -- dues_assessments
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (member_id, month),
  KEY dues_charges_open (settled, org_path, member_id, month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE dues_payments (
  payment_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NOT NULL,
  org_id BIGINT NOT NULL,            -- the member's org when paid
  amount_fen BIGINT NOT NULL,
  method INT NOT NULL,
  paid_on DATE NOT NULL,
  reference VARCHAR(128) NOT NULL,
  credited_fen BIGINT NOT NULL,
  entry_id BIGINT NOT NULL,
  request_id VARCHAR(80) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY dues_payments_member (member_id, payment_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- How each payment (or applied credit, payment_id of the credit's source)
-- was spread over months.
CREATE TABLE dues_allocations (
  payment_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  month CHAR(7) NOT NULL,
  amount_fen BIGINT NOT NULL,
  PRIMARY KEY (payment_id, month),
  KEY dues_allocations_member (member_id, month)
) ENGINE=InnoDB;

CREATE TABLE dues_suspense (
  suspense_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  employer_id BIGINT NOT NULL,
  org_id BIGINT NOT NULL,
  org_path VARCHAR(255) NOT NULL,
  national_id_masked VARCHAR(18) NOT NULL,
  national_id_index BINARY(32) NULL,
  card_number VARCHAR(32) NOT NULL,
  name VARCHAR(64) NOT NULL,
  month VARCHAR(16) NOT NULL,        -- as given; may be invalid
  amount_fen BIGINT NOT NULL,
  reason VARCHAR(256) NOT NULL,
  status INT NOT NULL,
  member_id BIGINT NOT NULL DEFAULT 0,
  payment_id BIGINT NOT NULL DEFAULT 0,
  resolution_note VARCHAR(256) NOT NULL DEFAULT '',
  request_id VARCHAR(80) NOT NULL,
  line_number INT NOT NULL,         -- the row in its import stream
  entry_id BIGINT NOT NULL,          -- the import's DUES_SUSPENSE entry
  resolution_entry_id BIGINT NOT NULL DEFAULT 0,  -- discard entry
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY dues_suspense_org (org_path, status, suspense_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Subtree rollup: one row per org and month holding the totals of every
-- charge in the org's subtree (the org itself and all descendants), kept in
-- the same transaction as the charges and payments. members_charged counts
-- charges, members_paid the charges that are fully settled (a 0-fen charge
-- is settled when it is made), so both equal COUNT(*) and SUM(settled)
-- over dues_charges.
CREATE TABLE collection_rollup (
  org_id BIGINT NOT NULL,
  month CHAR(7) NOT NULL,
  due_fen BIGINT NOT NULL DEFAULT 0,
  paid_fen BIGINT NOT NULL DEFAULT 0,
  members_charged BIGINT NOT NULL DEFAULT 0,
  members_paid BIGINT NOT NULL DEFAULT 0,
  own_due_fen BIGINT NOT NULL DEFAULT 0,        -- charges at this org only
  own_paid_fen BIGINT NOT NULL DEFAULT 0,
  own_members_charged BIGINT NOT NULL DEFAULT 0,
  own_members_paid BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, month)
) ENGINE=InnoDB;

-- ------------------------------------------------------------- funds

CREATE TABLE allocation_tables (
  table_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  province_code VARCHAR(6) NOT NULL,
  effective_from CHAR(7) NOT NULL,
  shares_json TEXT NOT NULL,         -- [["national",1250],...] in order
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY allocation_tables_province (province_code, effective_from)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE refund_policies (
  policy_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  from_month CHAR(7) NOT NULL,
  to_month CHAR(7) NOT NULL,
  small_micro_only BOOLEAN NOT NULL,
  refund_bp BIGINT NOT NULL,
  description VARCHAR(256) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE payroll_declarations (
  declaration_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  employer_id BIGINT NOT NULL,
  month CHAR(7) NOT NULL,
  total_payroll_fen BIGINT NOT NULL,
  appropriation_fen BIGINT NOT NULL,
  fund INT NOT NULL,
  org_id BIGINT NOT NULL,
  org_path VARCHAR(255) NOT NULL,
  collected_fen BIGINT NOT NULL DEFAULT 0,
  entry_id BIGINT NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY payroll_declarations_month (employer_id, month)
) ENGINE=InnoDB;

CREATE TABLE funds_collections (
  collection_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  declaration_id BIGINT NOT NULL,
  employer_id BIGINT NOT NULL,
  month CHAR(7) NOT NULL,
  amount_fen BIGINT NOT NULL,
  channel INT NOT NULL,
  fund INT NOT NULL,
  received_on DATE NOT NULL,
  province_code VARCHAR(6) NOT NULL,
  returned_fen BIGINT NOT NULL,
  refund_bonus_fen BIGINT NOT NULL,
  upward_json TEXT NOT NULL,
  upward_fen BIGINT NOT NULL,
  preparation_held_fen BIGINT NOT NULL,
  released BOOLEAN NOT NULL DEFAULT FALSE,  -- preparation fund returned
  release_entry_id BIGINT NOT NULL DEFAULT 0,
  entry_id BIGINT NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY funds_collections_employer (employer_id, month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Per employer and month; and the subtree rollup of the same figures per
-- org and month (every ancestor of the employer's org).
CREATE TABLE funds_employer_month (
  employer_id BIGINT NOT NULL,
  month CHAR(7) NOT NULL,
  org_id BIGINT NOT NULL,
  org_path VARCHAR(255) NOT NULL,
  declared_payroll_fen BIGINT NOT NULL DEFAULT 0,
  appropriation_fen BIGINT NOT NULL DEFAULT 0,
  collected_fen BIGINT NOT NULL DEFAULT 0,
  returned_fen BIGINT NOT NULL DEFAULT 0,
  upward_fen BIGINT NOT NULL DEFAULT 0,
  preparation_held_fen BIGINT NOT NULL DEFAULT 0,
  preparation_returned_fen BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (employer_id, month),
  KEY funds_employer_month_path (org_path, employer_id)
) ENGINE=InnoDB;

CREATE TABLE funds_rollup (
  org_id BIGINT NOT NULL,
  month CHAR(7) NOT NULL,
  declared_payroll_fen BIGINT NOT NULL DEFAULT 0,
  appropriation_fen BIGINT NOT NULL DEFAULT 0,
  collected_fen BIGINT NOT NULL DEFAULT 0,
  returned_fen BIGINT NOT NULL DEFAULT 0,
  upward_fen BIGINT NOT NULL DEFAULT 0,
  preparation_held_fen BIGINT NOT NULL DEFAULT 0,
  preparation_returned_fen BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, month)
) ENGINE=InnoDB;

CREATE TABLE funds_upward_rollup (
  org_id BIGINT NOT NULL,
  month CHAR(7) NOT NULL,
  level VARCHAR(32) NOT NULL,
  amount_fen BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, month, level)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- ------------------------------------------------------------- ledger

-- Entry ids come from a sequence, not AUTO_INCREMENT, because an entry's
-- hash covers its id and must be written with the row (no UPDATE).
-- NOCACHE: MariaDB Galera refuses a cached sequence (and a cache would hand
-- out ids out of order after a failover); 0005 makes older schemas match.
CREATE SEQUENCE ledger_entry_ids START WITH 1 INCREMENT BY 1 NOCACHE;

CREATE TABLE ledger_entries (
  entry_id BIGINT NOT NULL PRIMARY KEY,
  occurred_at VARCHAR(40) NOT NULL,  -- RFC 3339, as hashed
  kind VARCHAR(32) NOT NULL,
  memo VARCHAR(512) NOT NULL,
  reverses_entry_id BIGINT NULL,     -- NULL unless a reversal
  request_id VARCHAR(80) NOT NULL,
  entry_hash CHAR(64) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY ledger_entries_reverses (reverses_entry_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE ledger_postings (
  entry_id BIGINT NOT NULL,
  line INT NOT NULL,
  account VARCHAR(128) NOT NULL,
  amount_fen BIGINT NOT NULL,
  PRIMARY KEY (entry_id, line),
  KEY ledger_postings_account (account, entry_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE ledger_seals (
  seal_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  first_entry_id BIGINT NOT NULL,
  last_entry_id BIGINT NOT NULL,
  entry_count BIGINT NOT NULL,
  previous_hash CHAR(64) NOT NULL,
  seal_hash CHAR(64) NOT NULL,
  -- "id:hash,id:hash": each sealed entry's id and hash, in id order (the
  -- seal hash covers the hashes; the ids name a deleted entry)
  entry_hashes MEDIUMTEXT NOT NULL,
  sealed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY ledger_seals_first (first_entry_id),
  UNIQUE KEY ledger_seals_previous (previous_hash)
) ENGINE=InnoDB;

-- Writers hold a shared lock on this row while they insert entries; the
-- sealer takes it exclusively for an instant to learn the highest entry id
-- below which every transaction has finished.
CREATE TABLE ledger_gate (
  id TINYINT NOT NULL PRIMARY KEY
) ENGINE=InnoDB;
INSERT INTO ledger_gate (id) VALUES (1);

-- ------------------------------------------------------------- spending

CREATE TABLE expenses (
  expense_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_id BIGINT NOT NULL,
  org_path VARCHAR(255) NOT NULL,
  category INT NOT NULL,
  amount_fen BIGINT NOT NULL,
  front_line BOOLEAN NOT NULL,
  payee VARCHAR(128) NOT NULL,
  approval_reference VARCHAR(128) NOT NULL,
  spent_on DATE NOT NULL,
  description VARCHAR(512) NOT NULL,
  entry_id BIGINT NOT NULL,
  request_id VARCHAR(80) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY expenses_org (org_id, spent_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Subtree rollup per org, month and category.
CREATE TABLE spending_rollup (
  org_id BIGINT NOT NULL,
  month CHAR(7) NOT NULL,
  category INT NOT NULL,
  amount_fen BIGINT NOT NULL DEFAULT 0,
  front_line_fen BIGINT NOT NULL DEFAULT 0,
  expenses BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, month, category)
) ENGINE=InnoDB;

CREATE TABLE budgets (
  org_id BIGINT NOT NULL,
  year INT NOT NULL,
  category INT NOT NULL,
  amount_fen BIGINT NOT NULL,
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (org_id, year, category)
) ENGINE=InnoDB;

-- ------------------------------------------------------------- audit

CREATE TABLE engagements (
  engagement_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_id BIGINT NOT NULL,
  org_path VARCHAR(255) NOT NULL,
  type INT NOT NULL,
  title VARCHAR(256) NOT NULL,
  period_from CHAR(7) NOT NULL,
  period_to CHAR(7) NOT NULL,
  status INT NOT NULL,
  opened_by VARCHAR(128) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY engagements_path (org_path, engagement_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE findings (
  finding_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  engagement_id BIGINT NOT NULL,
  severity INT NOT NULL,
  category VARCHAR(64) NOT NULL,
  amount_fen BIGINT NOT NULL,
  description VARCHAR(1024) NOT NULL,
  created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY findings_engagement (engagement_id, finding_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE rectifications (
  rectification_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  finding_id BIGINT NOT NULL,
  engagement_id BIGINT NOT NULL,
  owner VARCHAR(128) NOT NULL,
  action VARCHAR(1024) NOT NULL,
  deadline DATE NOT NULL,
  status INT NOT NULL,
  evidence VARCHAR(1024) NOT NULL,
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY rectifications_finding (finding_id, rectification_id),
  KEY rectifications_engagement (engagement_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
