/**
 * String search, https://hl7.org/fhir/R4/search.html#string: starts-with after case and accent
 * folding, on each part of a HumanName or Address (text included); :exact is the whole string as
 * stored; :contains anywhere (still folded); \, escapes a comma; % and _ are plain characters.
 */
import type { EdgeSection } from './edge-case.js'

const patient = (name: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ resourceType: 'Patient', ...(name === undefined ? {} : { name: [name] }), ...extra })

const ZOES = ['zoeAccent', 'zoePlain', 'zoeUpper', 'zoey', 'decomposed', 'textOnly']
const NAMED = [...ZOES, 'smithers', 'goldsmith', 'comma', 'percent', 'zurich']

export const strings: EdgeSection = {
  name: 'string',
  resources: {
    zoeAccent: patient({ family: 'Smith', given: ['Zoë'] }),
    zoePlain: patient({ family: 'Jones', given: ['zoe'] }),
    zoeUpper: patient({ family: 'Brown', given: ['ZOE'] }),
    zoey: patient({ family: 'Ng', given: ['Zoey'] }),
    decomposed: patient({ family: 'Decomposed', given: ['Zoe\u0308'] }), // ë as e + combining diaeresis (NFD)
    textOnly: patient({ text: 'Zoë Quinn' }),
    smithers: patient({ family: 'Smithers', given: ['Al'] }),
    goldsmith: patient({ family: 'Goldsmith', given: ['Bo'] }),
    comma: patient({ family: 'Smith,Jones', given: ['Cy'] }),
    percent: patient({ family: '100%', given: ['Di'] }),
    zurich: patient({ family: 'Keller', given: ['Ed'] }, { address: [{ city: 'Zürich' }] }),
    nameless: patient(undefined)
  },
  cases: [
    { search: 'Patient?name=zoe', expect: ZOES, why: 'Zoë, ZOE, Zoey, an NFD Zoë and HumanName.text all start with zoe once folded' },
    { search: 'Patient?name=Zoë', expect: ZOES },
    { search: 'Patient?name=ZOË', expect: ZOES },
    { search: 'Patient?name=Zoe\u0308', expect: ZOES, why: 'an NFD query folds like an NFC one' },
    { search: 'Patient?given=zoe', expect: ['zoeAccent', 'zoePlain', 'zoeUpper', 'zoey', 'decomposed'] },
    { search: 'Patient?name:exact=Zoë', expect: ['zoeAccent'], ignore: ['decomposed'], why: 'case and accents count; R4 does not say whether an NFD spelling is the same string' },
    { search: 'Patient?name:exact=zoe', expect: ['zoePlain'] },
    { search: 'Patient?name:exact=Zoë Quinn', expect: ['textOnly'] },
    { search: 'Patient?name:contains=OË', expect: ZOES },
    { search: 'Patient?name=mith', expect: [], why: 'starts-with, not contains' },
    { search: 'Patient?name:contains=mith', expect: ['zoeAccent', 'smithers', 'goldsmith', 'comma'] },
    { search: 'Patient?family=smith', expect: ['zoeAccent', 'smithers', 'comma'] },
    { search: 'Patient?family=Smith\\,Jones', expect: ['comma'], why: 'an escaped comma is part of the value' },
    { search: 'Patient?family=smith,jones', expect: ['zoeAccent', 'smithers', 'comma', 'zoePlain'] },
    { search: 'Patient?name=zoe&name=smith', expect: ['zoeAccent'] },
    { search: 'Patient?family=100%', expect: ['percent'] },
    { search: 'Patient?name=%', expect: [], why: '% is not a wildcard' },
    { search: 'Patient?name:contains=_', expect: [], why: '_ is not a wildcard' },
    { search: 'Patient?address-city=ZÜR', expect: ['zurich'] },
    { search: 'Patient?address-city=zurich', expect: ['zurich'] },
    { search: 'Patient?name:missing=true', expect: ['nameless'] },
    { search: 'Patient?name:missing=false', expect: NAMED }
  ]
}
