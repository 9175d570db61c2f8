-- Compound search index (issue 3, Q5 of bench:search): "one instrument, in a period, with a value
-- below a threshold" needs the token, the date and the quantity of one resource in one index
-- entry, because no one of them is selective on its own. Each row is one combination of a
-- resource's token row, its date row and one of its distinct quantity values (or none) for the
-- parameters a compound names (src/store/compound-index.ts); the rows are written with the
-- resource's other index rows, and filled from them when a compound is first registered
-- (compound-fill.ts).
--
-- single: the resource has exactly one date row for the compound's date parameter, so every
-- date condition of a search can be tested against that one row. A resource with several has
-- one marker row (single = false, nothing else set) and is searched through the ordinary index.
-- point: single, and the date spans at most one day, so a lower bound on its end is a lower
-- bound on its start less a day: the search can range over d_low from both sides.
-- The key's text columns compare bytewise (COLLATE "C"): the scan tests them on every entry, and
-- a locale's comparison cost half of Q5's scan. Only equality is ever asked of them.
CREATE TABLE search_compound (
  resource_type text COLLATE "C" NOT NULL,
  resource_id text NOT NULL,
  name text COLLATE "C" NOT NULL,
  single boolean NOT NULL,
  point boolean NOT NULL,
  system text COLLATE "C",
  value text COLLATE "C",
  d_low timestamptz,
  d_high timestamptz,
  -- The value only: a search that names a unit or system tests it through search_quantity.
  q_low numeric,
  q_high numeric
);
-- The common case, index-only: token equality, then a range over the date's start.
CREATE INDEX search_compound_point ON search_compound (resource_type, name, value, system, d_low) INCLUDE (d_high, q_low, q_high, resource_id) WHERE point;
-- Single dates longer than a day (periods), tested row by row after the token equality.
CREATE INDEX search_compound_span ON search_compound (resource_type, name, value, system) WHERE single AND NOT point;
-- Resources with several dates: few, each re-tested through the ordinary index tables.
CREATE INDEX search_compound_several ON search_compound (resource_type, name) INCLUDE (resource_id) WHERE NOT single;
-- Updates and deletes replace a resource's rows.
CREATE INDEX search_compound_owner ON search_compound (resource_type, resource_id);

-- Which compounds the rows were filled for, and from what definition: a compound added or changed
-- in code is filled from the index tables at the next start.
CREATE TABLE search_compound_def (
  name text PRIMARY KEY,
  definition text NOT NULL
);
