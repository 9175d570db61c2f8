/**
 * URI search and :in, https://hl7.org/fhir/R4/search.html#uri: exact, :below, :above; canonical
 * URLs under the server's own base are ordinary URIs and must not be rewritten.
 */
import { OWN_BASE, type EdgeSection } from './edge-case.js'

const valueSet = (url: string | undefined, code: string): Record<string, unknown> => ({
  resourceType: 'ValueSet', status: 'active', ...(url === undefined ? {} : { url }),
  compose: { include: [{ system: 'http://loinc.org', concept: [{ code }] }] }
})
const observation = (code: string): Record<string, unknown> =>
  ({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code }] } })

export const uris: EdgeSection = {
  name: 'uri',
  resources: {
    own: valueSet(`${OWN_BASE}/ValueSet/own`, '8867-4'),
    ext: valueSet('http://example.org/fhir/ValueSet/ext', '29463-7'),
    child: valueSet('http://example.org/fhir/ValueSet/ext/child', '29463-7'),
    noUrl: valueSet(undefined, '29463-7'),
    heart: observation('8867-4'),
    weight: observation('29463-7')
  },
  cases: [
    { search: 'ValueSet?url=http://example.org/fhir/ValueSet/ext', expect: ['ext'] },
    { search: 'ValueSet?url:below=http://example.org/fhir/ValueSet/ext', expect: ['ext', 'child'] },
    { search: 'ValueSet?url:above=http://example.org/fhir/ValueSet/ext/child/grandchild', expect: ['ext', 'child'] },
    { search: 'ValueSet?url:missing=true', expect: ['noUrl'] },
    { search: `ValueSet?url=${OWN_BASE}/ValueSet/own`, expect: ['own'] }, // regression: "<base>/" was cut out of every value
    { search: 'Observation?code:in=http://example.org/fhir/ValueSet/ext', expect: ['weight'] },
    { search: 'Observation?code:not-in=http://example.org/fhir/ValueSet/ext', expect: ['heart'] },
    { search: `Observation?code:in=${OWN_BASE}/ValueSet/own`, expect: ['heart'] }, // regression: "<base>/" was cut out of every value
  ]
}
