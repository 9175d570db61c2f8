-- Indexes set aside while a bulk load fills an empty store (deferred-indexes.ts). Each row is an
-- index that was dropped and must be built again; the table is empty whenever no load is running.
-- A load cut off leaves its rows here, and the next start builds them before anything else.
CREATE TABLE deferred_index (
  name text PRIMARY KEY,
  definition text NOT NULL,
  deferred_at timestamptz NOT NULL DEFAULT now()
);
