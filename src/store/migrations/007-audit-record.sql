-- The audit trail as requests write it: one narrow row per audited request, with no index, so
-- recording a read costs a heap insert inside the statement that serves the read. The gateway
-- turns these rows into AuditEvent resources (searchable like any other) in bulk: before anything
-- reads AuditEvents, and while the server is idle. Each row is deleted in the same transaction
-- that stores its AuditEvent, so every record is in exactly one of the two places.
CREATE TABLE audit_record (
  id text NOT NULL,
  recorded timestamptz NOT NULL,
  status smallint NOT NULL,
  facts text NOT NULL
);
