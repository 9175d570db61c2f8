/**
 * Reference search, https://hl7.org/fhir/R4/search.html#reference: Type/id, a bare id (the id of
 * a local reference), an absolute URL (under our own base the same as the local reference),
 * :Type, :identifier, chains and _has.
 */
import { OWN_BASE, type EdgeSection } from './edge-case.js'

const NHS = 'https://fhir.nhs.uk/Id/nhs-number'
const observation = (subject: Record<string, unknown> | undefined): Record<string, unknown> => ({
  resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] }, ...(subject === undefined ? {} : { subject })
})
const task = (patient: string, owner: string): Record<string, unknown> =>
  ({ resourceType: 'Task', status: 'requested', intent: 'order', for: { reference: `Patient/@${patient}` }, owner: { reference: `Organization/@${owner}` } })

export const references: EdgeSection = {
  name: 'reference',
  resources: {
    p1: { resourceType: 'Patient', name: [{ family: 'Chained' }], identifier: [{ system: NHS, value: '9000000033' }] },
    p2: { resourceType: 'Patient', name: [{ family: 'Other' }] },
    o1: { resourceType: 'Organization', name: 'Leeds Link' },
    o2: { resourceType: 'Organization', name: 'Zest' },
    relative: observation({ reference: 'Patient/@p1' }),
    ownAbsolute: observation({ reference: `${OWN_BASE}/Patient/@p1` }),
    external: observation({ reference: 'https://other.example/fhir/Patient/@p1' }),
    group: observation({ reference: 'Group/@p1' }),
    toP2: observation({ reference: 'Patient/@p2' }),
    logical: observation({ identifier: { system: NHS, value: '9000000033' } }),
    noSubject: observation(undefined),
    t1: task('p1', 'o1'),
    t2: task('p2', 'o2'),
    sr1: { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/@p1' } }
  },
  cases: [
    { search: 'Observation?subject=Patient/reference-p1', expect: ['relative', 'ownAbsolute'], why: 'a reference under our own base is the local one' },
    { search: 'Observation?subject=reference-p1', expect: ['relative', 'ownAbsolute', 'group'], why: 'a bare id is the id of a local reference, whatever its type' },
    { search: 'Observation?patient=reference-p1', expect: ['relative', 'ownAbsolute'], why: 'patient only points at Patients' }, // regression: resolve() could not type absolute references
    { search: 'Observation?patient=Patient/reference-p1', expect: ['relative', 'ownAbsolute'] }, // regression: resolve() could not type absolute references
    { search: 'Observation?patient=https://other.example/fhir/Patient/reference-p1', expect: ['external'] }, // regression: resolve() could not type absolute references
    { search: 'Observation?patient:missing=true', expect: ['noSubject', 'group'], ignore: ['logical'] }, // regression: resolve() could not type absolute references
    { search: 'Observation?subject:Patient=reference-p1', expect: ['relative', 'ownAbsolute'] },
    { search: 'Observation?subject=Group/reference-p1', expect: ['group'] },
    { search: `Observation?subject=${OWN_BASE}/Patient/reference-p1`, expect: ['relative', 'ownAbsolute'] },
    { search: 'Observation?subject=https://other.example/fhir/Patient/reference-p1', expect: ['external'], why: 'another server\'s Patient is not ours' },
    { search: 'Observation?subject=Patient/reference-p1,Patient/reference-p2', expect: ['relative', 'ownAbsolute', 'toP2'] },
    { search: 'Observation?subject:missing=true', expect: ['noSubject'], ignore: ['logical'], why: 'R4 does not say whether an identifier-only reference counts as a value' },
    { search: `Observation?subject:identifier=${NHS}|9000000033`, expect: ['logical'] },
    { search: 'Observation?subject:Patient.name=chained', expect: ['relative', 'ownAbsolute'] },
    { search: `Observation?subject:Patient.identifier=${NHS}|9000000033`, expect: ['relative', 'ownAbsolute'] },
    { search: 'Observation?patient.name=other', expect: ['toP2'] },
    { search: `ServiceRequest?subject:Patient.identifier=${NHS}|9000000033`, expect: ['sr1'] },
    { search: 'Task?owner:Organization.name=zest', expect: ['t2'] },
    { search: 'Patient?_has:Task:patient:owner=Organization/reference-o1', expect: ['p1'] },
    { search: 'Patient?_has:Task:patient:owner:Organization.name=leeds', expect: ['p1'] },
    { search: 'Patient?_has:Observation:patient:_id=reference-toP2', expect: ['p2'] }
  ]
}
