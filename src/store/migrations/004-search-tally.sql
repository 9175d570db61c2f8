-- Counted searches (dashboard tiles, SEARCH_COUNTED): the ids of the resources that match each
-- registered search, kept up to date by a trigger on `resource` in the writing transaction, so a
-- `_summary=count` of that search counts one index range instead of intersecting index tables.
-- The trigger and its function are created when searches are registered (search-tally.ts).
CREATE TABLE search_tally (
  -- The search in canonical form (types and matching parameters, sorted).
  key text PRIMARY KEY,
  resource_type text NOT NULL,
  -- SELECT EXISTS (…) of the search's filter for one resource id ($1), with literal values.
  match_sql text NOT NULL
);

CREATE TABLE search_tally_member (
  key text NOT NULL REFERENCES search_tally (key) ON DELETE CASCADE,
  resource_id text NOT NULL,
  PRIMARY KEY (key, resource_id)
);
