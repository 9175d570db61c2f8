/**
 * Index of Multiple Deprivation deciles by postcode (decile 1 = the most deprived 10% of
 * LSOAs). The gateway holds no national postcode directory; an ICS loads the one it licenses
 * (e.g. ONS postcode directory joined to IMD 2019) as a two-column CSV, `postcode,imd_decile`,
 * named by IMD_LOOKUP_FILE. Read once at start; a malformed file stops start-up naming the line.
 */
import { readFile } from 'node:fs/promises'
import { classifyPostcode } from './postcode.js'

export type ImdLookup = (postcode: string) => number | undefined

/** With no lookup configured no decile is derivable. */
export const NO_IMD_LOOKUP: ImdLookup = () => undefined

export class ImdLookupError extends Error {
  override readonly name = 'ImdLookupError'
}

export function parseImdLookup (text: string, source: string): ImdLookup {
  const deciles = new Map<string, number>()
  const lines = text.split(/\r?\n/)
  lines.forEach((line, index) => {
    if (line.trim() === '' || (index === 0 && /postcode/i.test(line))) return
    const [rawPostcode, rawDecile, ...rest] = line.split(',')
    const postcode = classifyPostcode(rawPostcode)
    const decile = Number(rawDecile?.trim())
    if (rest.length > 0 || postcode.kind !== 'full' || !Number.isInteger(decile) || decile < 1 || decile > 10) {
      throw new ImdLookupError(`${source} line ${index + 1}: expected "<full postcode>,<decile 1-10>"`)
    }
    deciles.set(postcode.postcode, decile)
  })
  return (postcode) => deciles.get(postcode)
}

export async function loadImdLookup (file: string | undefined): Promise<ImdLookup> {
  if (file === undefined) return NO_IMD_LOOKUP
  return parseImdLookup(await readFile(file, 'utf8'), file)
}
