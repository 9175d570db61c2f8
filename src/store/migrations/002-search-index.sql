-- Search index: one table per search parameter type, rows for the current version of each live
-- resource, written in the same statement or transaction as the resource itself.
-- Modifier rows share the token table under their own code (code:text, code:of-type, code:identifier).
CREATE TABLE search_token (
  resource_type text NOT NULL,
  resource_id text NOT NULL,
  code text NOT NULL,
  system text,
  value text
);
CREATE INDEX search_token_value ON search_token (resource_type, code, value, system);
CREATE INDEX search_token_owner ON search_token (resource_type, resource_id, code);

CREATE TABLE search_string (
  resource_type text NOT NULL,
  resource_id text NOT NULL,
  code text NOT NULL,
  folded text NOT NULL,
  exact text NOT NULL
);
CREATE INDEX search_string_prefix ON search_string (resource_type, code, folded text_pattern_ops);
CREATE INDEX search_string_owner ON search_string (resource_type, resource_id, code);

CREATE TABLE search_reference (
  resource_type text NOT NULL,
  resource_id text NOT NULL,
  code text NOT NULL,
  target_type text,
  target_id text,
  url text
);
CREATE INDEX search_reference_target ON search_reference (resource_type, code, target_id, target_type);
CREATE INDEX search_reference_inbound ON search_reference (target_type, target_id, code);
CREATE INDEX search_reference_owner ON search_reference (resource_type, resource_id, code);

-- Unbounded Period ends are stored as -infinity / infinity, so range tests need no NULL cases.
CREATE TABLE search_date (
  resource_type text NOT NULL,
  resource_id text NOT NULL,
  code text NOT NULL,
  low timestamptz NOT NULL,
  high timestamptz NOT NULL
);
CREATE INDEX search_date_range ON search_date (resource_type, code, low, high);
CREATE INDEX search_date_owner ON search_date (resource_type, resource_id, code);

CREATE TABLE search_number (
  resource_type text NOT NULL,
  resource_id text NOT NULL,
  code text NOT NULL,
  low numeric,
  high numeric
);
CREATE INDEX search_number_value ON search_number (resource_type, code, low);
CREATE INDEX search_number_owner ON search_number (resource_type, resource_id, code);

CREATE TABLE search_quantity (
  resource_type text NOT NULL,
  resource_id text NOT NULL,
  code text NOT NULL,
  system text,
  unit text,
  low numeric,
  high numeric
);
CREATE INDEX search_quantity_value ON search_quantity (resource_type, code, low);
CREATE INDEX search_quantity_owner ON search_quantity (resource_type, resource_id, code);

CREATE TABLE search_uri (
  resource_type text NOT NULL,
  resource_id text NOT NULL,
  code text NOT NULL,
  value text NOT NULL
);
CREATE INDEX search_uri_value ON search_uri (resource_type, code, value);
CREATE INDEX search_uri_owner ON search_uri (resource_type, resource_id, code);

-- Composite parameters (Observation code-value-quantity …): a token and one second component.
CREATE TABLE search_composite (
  resource_type text NOT NULL,
  resource_id text NOT NULL,
  code text NOT NULL,
  system text,
  value text,
  q_system text,
  q_unit text,
  q_low numeric,
  q_high numeric,
  c_system text,
  c_value text,
  d_low timestamptz,
  d_high timestamptz,
  s_folded text
);
CREATE INDEX search_composite_value ON search_composite (resource_type, code, value, system);
CREATE INDEX search_composite_owner ON search_composite (resource_type, resource_id, code);

-- Superseded by search_token rows for identifier.
DROP INDEX resource_identifier;

-- Keyset paging and _lastUpdated searches walk live resources in (last_updated, id) order.
CREATE INDEX resource_live_updated ON resource (resource_type, last_updated, id) WHERE NOT deleted;
