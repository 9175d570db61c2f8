-- Covering search indexes (issue 3, docs/benchmarks.md "Why the misses"). Each replaces an index
-- of 002 with the same leading columns, so a write maintains as many index entries as before,
-- but a search can test conditions, sort keys and nested id sets on index entries alone
-- (index-only scans) and reads `resource` only for the ids that pass every condition.

-- Driving scans by value hand over the resource id; in id order within one value, so two token
-- conditions can meet in a merge join (a count of code AND status).
DROP INDEX search_token_value;
CREATE INDEX search_token_value ON search_token (resource_type, code, value, system, resource_id);
-- Probes of a candidate's other token conditions (status, reason …).
DROP INDEX search_token_owner;
CREATE INDEX search_token_owner ON search_token (resource_type, resource_id, code) INCLUDE (system, value);

DROP INDEX search_date_range;
CREATE INDEX search_date_range ON search_date (resource_type, code, low, high) INCLUDE (resource_id);
-- Date probes and date sort keys (min(low) / max(high) per resource).
DROP INDEX search_date_owner;
CREATE INDEX search_date_owner ON search_date (resource_type, resource_id, code) INCLUDE (low, high);

DROP INDEX search_reference_target;
CREATE INDEX search_reference_target ON search_reference (resource_type, code, target_id, target_type) INCLUDE (resource_id);
-- "Who points at X" (owner=Organization/x, chains, _revinclude) hands over the referrer.
DROP INDEX search_reference_inbound;
CREATE INDEX search_reference_inbound ON search_reference (target_type, target_id, code) INCLUDE (resource_type, resource_id);
-- _include and _has follow a resource's own references.
DROP INDEX search_reference_owner;
CREATE INDEX search_reference_owner ON search_reference (resource_type, resource_id, code) INCLUDE (target_type, target_id);

DROP INDEX search_string_prefix;
CREATE INDEX search_string_prefix ON search_string (resource_type, code, folded text_pattern_ops) INCLUDE (resource_id);
DROP INDEX search_string_owner;
CREATE INDEX search_string_owner ON search_string (resource_type, resource_id, code) INCLUDE (folded, exact);

DROP INDEX search_quantity_value;
CREATE INDEX search_quantity_value ON search_quantity (resource_type, code, low) INCLUDE (high, system, unit, resource_id);
DROP INDEX search_quantity_owner;
CREATE INDEX search_quantity_owner ON search_quantity (resource_type, resource_id, code) INCLUDE (low, high, system, unit);
