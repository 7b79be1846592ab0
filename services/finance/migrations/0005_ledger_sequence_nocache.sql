-- Schemas created before 0001_init.sql made the ledger sequence NOCACHE
-- kept the default cache of 1000, which MariaDB Galera refuses to serve
-- from more than one node in order. A no-op on schemas created since.
ALTER SEQUENCE ledger_entry_ids NOCACHE;
