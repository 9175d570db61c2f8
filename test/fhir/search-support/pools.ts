/**
 * The small value pools random resources and queries draw from. Pools are small on purpose: a
 * query only tells us something when several resources share (or nearly share) its value.
 */

/** The base the apps under test run at (BASE_URL), so "our own base" is known to data and queries. */
export const TEST_BASE_URL = 'http://gateway.test'
export const OWN_BASE = `${TEST_BASE_URL}/fhir`

/**
 * The last lives under our own base: it is just a system, and must be searched as one. Not the
 * NHS number system: its values must pass the Modulus 11 check, and the pool values mostly do not.
 */
export const IDENTIFIER_SYSTEMS = ['https://fhir.nhs.uk/Id/ods-organization-code', 'http://hospital.example/mrn', 'urn:oid:2.16.840.1.113883.2.1.4.1', `${OWN_BASE}/sid/local`] as const
/** Distinct even when lower-cased (medplum compares tokens case-insensitively); one has a comma to exercise escaping. */
export const IDENTIFIER_VALUES = ['9000000009', '9000000017', 'A-1', 'b.2', '12,34'] as const

export const CODE_SYSTEMS = ['http://loinc.org', 'http://snomed.info/sct'] as const
export const CODES = ['8867-4', '29463-7', '871731000000106', 'Walk'] as const
/** Never equal to a code: medplum also indexes displays as system-less codes. */
export const DISPLAYS = ['Heart rate', 'Body weight', 'Referral to social prescribing'] as const

export const CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category'
export const CATEGORIES = ['vital-signs', 'laboratory', 'social-history'] as const

export const TAGS = [
  { system: 'http://example.org/tags', code: 'red' },
  { system: 'http://example.org/tags', code: 'blue' },
  { system: 'http://other.example/tags', code: 'red' },
  { code: 'green' }
] as const

export const GENDERS = ['male', 'female', 'other', 'unknown'] as const
export const OBSERVATION_STATUSES = ['registered', 'preliminary', 'final', 'amended', 'cancelled'] as const
export const REQUEST_STATUSES = ['draft', 'active', 'on-hold', 'revoked', 'completed'] as const
export const REQUEST_INTENTS = ['proposal', 'plan', 'order'] as const
export const TASK_STATUSES = ['requested', 'accepted', 'in-progress', 'completed', 'cancelled'] as const
export const TASK_INTENTS = ['proposal', 'plan', 'order'] as const

/** Accents, case, shared prefixes (Smith/Smithers, Ann/Anne) and letters shared mid-word. */
export const FAMILY_NAMES = ['Smith', 'Smithers', 'Núñez', "O'Brien", 'Ng', 'Åberg'] as const
export const GIVEN_NAMES = ['Ann', 'Anne', 'Zoë', 'José', 'Chloé', 'Jo'] as const
export const NAME_PREFIXES = ['Dr', 'Mrs'] as const
export const CITIES = ['Leeds', 'Zürich', 'York', 'Yorkton', 'Newcastle'] as const
export const VALUE_STRINGS = ['positive', 'Négatif', 'pending review'] as const
export const ORGANIZATION_NAMES = ['Leeds Link', 'Zest Clinic'] as const
/** Query words no resource holds, so misses are generated too. */
export const MISSING_WORDS = ['Xu', 'Quinn'] as const

/** Every string a string parameter can hold: string queries are checked for safety against all of them. */
export const ALL_STRINGS: readonly string[] = [
  ...FAMILY_NAMES, ...GIVEN_NAMES, ...NAME_PREFIXES, ...CITIES, ...VALUE_STRINGS, ...ORGANIZATION_NAMES
]

/** Date parts. Month precision only uses 31-day months: see exception date-short-months. */
export const YEARS = ['2023', '2024', '2025'] as const
export const MONTHS = ['01', '03', '12'] as const
export const DAYS = ['01', '15', '31'] as const
export const TIMES = ['00:00:00', '12:30:00', '23:30:00', '23:59:59'] as const
export const FRACTIONS = ['', '.5', '.250', '.999'] as const
export const ZONES = ['Z', '+01:00', '-05:00', '+14:00'] as const

/** References that point outside this server: never resolvable, never equal to a local id. */
export const EXTERNAL_BASE = 'https://other.example/fhir'
