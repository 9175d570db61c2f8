/**
 * Token search, https://hl7.org/fhir/R4/search.html#token: code, system|code, |code (no system),
 * system|; case-sensitive; :not also returns resources without the element; display text is for
 * :text only; plain code elements carry the system their binding implies.
 */
import { OWN_BASE, type EdgeSection } from './edge-case.js'

const NHS = 'https://fhir.nhs.uk/Id/nhs-number'
const MRN = 'http://hospital.example/mrn'
const patient = (extra: Record<string, unknown>): Record<string, unknown> => ({ resourceType: 'Patient', ...extra })
const observation = (code: Record<string, unknown>): Record<string, unknown> => ({ resourceType: 'Observation', status: 'final', code })

const PATIENTS = ['nhs', 'mrn', 'nosys', 'sysOnly', 'upper', 'lower', 'ownBase', 'bare']
const but = (...keys: string[]): string[] => PATIENTS.filter(k => !keys.includes(k))

export const tokens: EdgeSection = {
  name: 'token',
  resources: {
    nhs: patient({
      identifier: [{ system: NHS, value: '9000000009' }],
      gender: 'female',
      active: true,
      meta: { tag: [{ system: 'http://example.org/tags', code: 'red' }], security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }], source: 'http://source.example/app' }
    }),
    mrn: patient({ identifier: [{ system: MRN, value: '9000000009' }], gender: 'male', active: false }),
    nosys: patient({ identifier: [{ value: '9000000009' }] }),
    sysOnly: patient({ identifier: [{ system: NHS }] }),
    upper: patient({ identifier: [{ system: MRN, value: 'ABC', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] } }] }),
    lower: patient({ identifier: [{ system: MRN, value: 'abc' }] }),
    ownBase: patient({ identifier: [{ system: `${OWN_BASE}/sid/local`, value: '1' }] }),
    bare: patient({}),
    heart: observation({ coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }], text: 'Pulse' }),
    weight: observation({ coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }, { system: 'http://snomed.info/sct', code: '27113001' }] }),
    walk: observation({ coding: [{ code: 'walk' }] })
  },
  cases: [
    { search: 'Patient?identifier=9000000009', expect: ['nhs', 'mrn', 'nosys'] },
    { search: `Patient?identifier=${NHS}|9000000009`, expect: ['nhs'] },
    { search: 'Patient?identifier=|9000000009', expect: ['nosys'], why: '|code matches only values without a system' },
    { search: `Patient?identifier=${NHS}|`, expect: ['nhs', 'sysOnly'] },
    { search: `Patient?identifier=${MRN}|abc`, expect: ['lower'], why: 'codes are case-sensitive' },
    { search: 'Patient?identifier:not=9000000009', expect: ['sysOnly', 'upper', 'lower', 'ownBase', 'bare'], why: ':not includes resources without the element' },
    { search: `Patient?identifier:not=${NHS}|9000000009`, expect: but('nhs') },
    { search: 'Patient?identifier:missing=true', expect: ['bare'] },
    { search: 'Patient?identifier:missing=false', expect: but('bare') },
    { search: 'Patient?identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203|MR|ABC', expect: ['upper'] },
    { search: `Patient?identifier=${OWN_BASE}/sid/local|1`, expect: ['ownBase'], why: 'a system that happens to live under our base is still just a system' }, // regression: "<base>/" was cut out of every value
    { search: 'Patient?gender=female', expect: ['nhs'] },
    { search: 'Patient?gender=http://hl7.org/fhir/administrative-gender|female', expect: ['nhs'], why: 'the binding implies the system' },
    { search: 'Patient?gender=|female', expect: [], why: 'a code element has an (implied) system' },
    { search: 'Patient?gender:not=female', expect: but('nhs') },
    { search: 'Patient?active=true', expect: ['nhs'] },
    { search: 'Patient?active:not=true', expect: but('nhs') },
    { search: 'Patient?_tag=http://example.org/tags|red', expect: ['nhs'] },
    { search: 'Patient?_security=http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R', expect: ['nhs'] },
    { search: 'Patient?_source=http://source.example/app', expect: ['nhs'] },
    { search: 'Patient?_id=token-nhs,token-bare', expect: ['nhs', 'bare'] },
    { search: 'Patient?_id:not=token-nhs', expect: but('nhs') },
    { search: 'Observation?code=http://loinc.org|8867-4', expect: ['heart'] },
    { search: 'Observation?code=Heart rate', expect: [], why: 'a display is not a code' },
    { search: 'Observation?code:text=heart', expect: ['heart'] },
    { search: 'Observation?code:text=pulse', expect: ['heart'], why: 'CodeableConcept.text counts for :text' },
    { search: 'Observation?code=walk', expect: ['walk'] },
    { search: 'Observation?code=|walk', expect: ['walk'] },
    { search: 'Observation?code=http://snomed.info/sct|', expect: ['weight'] },
    { search: 'Observation?code:not=http://loinc.org|29463-7', expect: ['heart', 'walk'], why: 'one matching coding is enough to exclude' },
    { search: 'Observation?code=http://loinc.org|8867-4,http://snomed.info/sct|27113001', expect: ['heart', 'weight'] }
  ]
}
