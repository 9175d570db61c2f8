/** Search string folding: case- and accent-insensitive, as FHIR string search requires. */
export function foldString (text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase()
}
