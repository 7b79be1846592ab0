-- Every payment adds to collection_rollup for its charge's org and every
-- ancestor up to the province, for the charge's month, and holds those
-- rows' locks until its commit's fsync: concurrent payments of one
-- province queued on the province's row, one commit at a time. Each
-- writing transaction now adds its deltas to one of several shard rows per
-- (org, month) (store/dues_store.cc, CollectionRollup::Flush), so
-- concurrent writers rarely share a row, and readers sum the shards
-- (store/report_store.cc). The figures are unchanged: an org's figure is
-- the sum of its rows. Existing rows become shard 0.
ALTER TABLE collection_rollup
  ADD COLUMN shard TINYINT UNSIGNED NOT NULL DEFAULT 0 AFTER month,
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (org_id, month, shard);
