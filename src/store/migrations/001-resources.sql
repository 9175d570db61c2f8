-- Content is stored as json, not jsonb, so a read returns exactly the text that was written
-- (jsonb would reorder keys and move resourceType away from the front).
-- Current version of every resource, one row per (type, id). A deleted resource keeps its row
-- with deleted = true and no content, so a later read can answer 410 Gone.
CREATE TABLE resource (
  resource_type text NOT NULL,
  id text NOT NULL,
  version_id integer NOT NULL,
  last_updated timestamptz NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  content json,
  PRIMARY KEY (resource_type, id)
);

-- Every earlier version. A create writes only the current row (one INSERT, the hot path);
-- an update or delete moves the replaced version here in the same transaction.
CREATE TABLE resource_history (
  resource_type text NOT NULL,
  id text NOT NULL,
  version_id integer NOT NULL,
  last_updated timestamptz NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  content json,
  PRIMARY KEY (resource_type, id, version_id)
);

-- Type-level history pages walk versions by time.
CREATE INDEX resource_type_updated ON resource (resource_type, last_updated, id);
CREATE INDEX resource_history_type_updated ON resource_history (resource_type, last_updated, id);

-- Business identifiers are how conditional create/update and conditional references find a
-- resource (Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009).
CREATE INDEX resource_identifier ON resource USING gin (((content::jsonb) -> 'identifier') jsonb_path_ops);
