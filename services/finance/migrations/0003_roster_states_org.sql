-- AssessDues reaches a subtree's members through their orgs' states
-- (store/dues_store.cc): without this it ranked every member's states in
-- the whole roster (9.7 s for a county inside a 1M-member province; 0.07 s
-- with it).
CREATE INDEX roster_states_org ON roster_member_states (org_id, valid_from);
