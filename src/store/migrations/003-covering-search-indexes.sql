-- Covering search indexes (issue 3, docs/benchmarks.md "Why the misses"). Each replaces an index
-- of 002 with the same key columns, so a write maintains as many index entries as before, but
-- the probes of a nested condition (search-conditions.ts), date sort keys and the driving
-- "who points at X" scans read index entries alone (index-only scans), and `resource` is read
-- only for the ids that pass every condition. Only what those tests read is included: wider
-- entries on the big tables (search_token: about 10 rows per resource) cost every write.

-- Token probes (status, reason …): the value; a probe that also tests the system reads the row.
DROP INDEX search_token_owner;
CREATE INDEX search_token_owner ON search_token (resource_type, resource_id, code) INCLUDE (value);

-- Date probes and date sort keys (min(low) / max(high) per resource).
DROP INDEX search_date_owner;
CREATE INDEX search_date_owner ON search_date (resource_type, resource_id, code) INCLUDE (low, high);
DROP INDEX search_date_range;
CREATE INDEX search_date_range ON search_date (resource_type, code, low, high) INCLUDE (resource_id);

-- "Who points at X" (owner=Organization/x, chains, _has, _revinclude) hands over the referrer.
DROP INDEX search_reference_inbound;
CREATE INDEX search_reference_inbound ON search_reference (target_type, target_id, code) INCLUDE (resource_type, resource_id);
-- _include and _has follow a resource's own references.
DROP INDEX search_reference_owner;
CREATE INDEX search_reference_owner ON search_reference (resource_type, resource_id, code) INCLUDE (target_type, target_id);

DROP INDEX search_quantity_value;
CREATE INDEX search_quantity_value ON search_quantity (resource_type, code, low) INCLUDE (resource_id);
