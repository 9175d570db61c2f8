-- Extended statistics on the search tables (issue 3). Each table holds every type's and every
-- parameter's rows, so PostgreSQL, estimating `resource_type = 'Patient' AND code = 'gender' AND
-- value = 'female'` as the product of three independent frequencies, expected 143 rows where there
-- were 142,133 (200,000 patients) and built the whole set before cutting a page: 2 s for
-- `Patient?gender=female`. Multi-column MCV lists and dependencies give it the real frequencies of
-- the combinations (7 ms); autovacuum's analyses keep them current.
CREATE STATISTICS search_token_combination (mcv, dependencies) ON resource_type, code, value FROM search_token;
CREATE STATISTICS search_reference_combination (mcv, dependencies) ON resource_type, code, target_type FROM search_reference;
CREATE STATISTICS search_string_combination (mcv, dependencies) ON resource_type, code FROM search_string;
CREATE STATISTICS search_date_combination (mcv, dependencies) ON resource_type, code FROM search_date;
CREATE STATISTICS search_quantity_combination (mcv, dependencies) ON resource_type, code FROM search_quantity;
CREATE STATISTICS search_composite_combination (mcv, dependencies) ON resource_type, code, value FROM search_composite;
-- Statistics objects are empty until the table is next analyzed; a large store may wait long for
-- autovacuum's turn, so they are filled now (ANALYZE samples: seconds even at 14 million rows).
ANALYZE search_token;
ANALYZE search_reference;
ANALYZE search_string;
ANALYZE search_date;
ANALYZE search_quantity;
ANALYZE search_composite;
