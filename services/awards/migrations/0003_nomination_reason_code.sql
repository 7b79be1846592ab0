-- A nomination's status reason as a stable code with its figures
-- (serialized unionhub.awards.v1.Reason; empty for nominations whose
-- status changed before awards gave codes), beside the English
-- status_reason, so clients say it in their own language. Room for the
-- longest free text a reason carries (a 500-character withdrawal reason or
-- resolution, up to 4 bytes a character).
ALTER TABLE nominations
  ADD COLUMN status_reason_code VARBINARY(4096) NOT NULL DEFAULT '';
