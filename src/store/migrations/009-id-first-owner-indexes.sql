-- Owner indexes keyed by id first (issue 3, docs/benchmarks.md session 9). Ids sort in creation
-- order (UUIDv7, and the seeder's counter-led ids), so with the id leading every new entry lands
-- on the index's rightmost leaf: PostgreSQL inserts there without descending from the root and
-- splits that page leaving it full. With the resource type leading, new entries landed at the end
-- of each type's range, in the middle of the index, and pages split half and half (52% leaf
-- density at 200,000 patients). Every lookup names both the type and the id, so the order of the
-- two columns changes no plan. The same holds for the referrers of a resource: a new reference
-- usually names a resource made moments before it.
DROP INDEX search_token_owner;
CREATE INDEX search_token_owner ON search_token (resource_id, resource_type, code) INCLUDE (value);
DROP INDEX search_string_owner;
CREATE INDEX search_string_owner ON search_string (resource_id, resource_type, code);
DROP INDEX search_reference_owner;
CREATE INDEX search_reference_owner ON search_reference (resource_id, resource_type, code) INCLUDE (target_type, target_id);
DROP INDEX search_reference_inbound;
CREATE INDEX search_reference_inbound ON search_reference (target_id, target_type, code) INCLUDE (resource_type, resource_id);
DROP INDEX search_date_owner;
CREATE INDEX search_date_owner ON search_date (resource_id, resource_type, code) INCLUDE (low, high);
DROP INDEX search_number_owner;
CREATE INDEX search_number_owner ON search_number (resource_id, resource_type, code);
DROP INDEX search_quantity_owner;
CREATE INDEX search_quantity_owner ON search_quantity (resource_id, resource_type, code);
DROP INDEX search_uri_owner;
CREATE INDEX search_uri_owner ON search_uri (resource_id, resource_type, code);
DROP INDEX search_composite_owner;
CREATE INDEX search_composite_owner ON search_composite (resource_id, resource_type, code);
DROP INDEX search_compound_owner;
CREATE INDEX search_compound_owner ON search_compound (resource_id, resource_type);
