-- A nomination's status reason as a stable code with its figures
-- (serialized unionhub.awards.v1.Reason; empty for nominations whose
-- status changed before awards gave codes), beside the English
-- status_reason, so clients say it in their own language.
ALTER TABLE nominations
  ADD COLUMN status_reason_code VARBINARY(2048) NOT NULL DEFAULT '';
