-- Pair search index (issue 3, Q2 of bench:search): "a provider's open Tasks" names an owner and a
-- set of statuses. A busy provider owns thousands of Tasks of which a few hundred are open; from
-- the ordinary tables every owned Task's status had to be looked up one by one (2,316 probes,
-- about 12 ms at 200,000 patients). Each row here is one combination of a resource's reference
-- row and its token row for the parameters a pair names (src/store/pair-index.ts), so the search
-- is one index range. Written with the resource's other index rows, filled from them when a pair
-- is first registered (pair-fill.ts). Only references to a resource by id are paired; a search
-- by absolute URL uses the ordinary index.
-- Text key columns compare bytewise (COLLATE "C"), as in search_compound: only equality is asked.
CREATE TABLE search_pair (
  resource_type text COLLATE "C" NOT NULL,
  resource_id text NOT NULL,
  name text COLLATE "C" NOT NULL,
  target_type text COLLATE "C",
  target_id text COLLATE "C" NOT NULL,
  system text COLLATE "C",
  value text COLLATE "C"
);
CREATE INDEX search_pair_target ON search_pair (resource_type, name, target_id, value, system, target_type) INCLUDE (resource_id);
-- Updates and deletes replace a resource's rows (id first, as in migration 009).
CREATE INDEX search_pair_owner ON search_pair (resource_id, resource_type);

-- Which pairs the rows were filled for, and from what definition: a pair added or changed in code
-- is filled from the index tables at the next start.
CREATE TABLE search_pair_def (
  name text PRIMARY KEY,
  definition text NOT NULL
);
