/**
 * Nearly every source of a map is one plain name (`src.nhsNumber as nhs`), which the engine
 * evaluates as a FHIRPath against the payload on every run. For the payload's own JSON objects
 * (typed BackboneElement, with no element of that name) the interpreter first searches the
 * type's element definitions for the name, and for a name the payload lacks it then tries the
 * name with each of about 50 FHIR type suffixes (`nhsNumberString`, …), capitalising each anew:
 * an eighth of mapping and validating a pack-1 referral. This path gives the interpreter's values
 * (getTypedPropertyValueWithoutSchema, then withPath, as @medplum/core 5.2 does), with the
 * suffixed names built once and the definition search done once per type. Values of a type that
 * does define the name (a Coding's `code`, a resource's elements) and resources named by type
 * still go to the interpreter's own parsed path.
 */
import {
  capitalize, getElementDefinition, isResource, PropertyType, SymbolAtom, toTypedValue,
  type Atom, type AtomContext, type FhirPathAtom, type TypedValue
} from '@medplum/core'

type TypedValueWithPath = TypedValue & { path?: string }

const SUFFIX_TYPES: readonly string[] = Object.values(PropertyType)
const PLAIN_NAME = /^[a-z][A-Za-z0-9]*$/

/**
 * The expression as the engine should run it: a plain-name path where `parsed` is one plain
 * element name, else `parsed` itself. The engine calls eval(context, input) on either.
 */
export function sourcePath (parsed: FhirPathAtom): Atom {
  const child = parsed.child
  return child instanceof SymbolAtom && PLAIN_NAME.test(child.name) ? new PlainMemberPath(child.name, parsed) : parsed
}

class PlainMemberPath implements Atom {
  private readonly suffixed: readonly string[]
  /** Per value type, whether its schema defines this name; schemas are all loaded before maps run. */
  private readonly definedOn = new Map<string, boolean>()

  constructor (private readonly name: string, private readonly interpreted: FhirPathAtom) {
    this.suffixed = SUFFIX_TYPES.map(type => name + capitalize(type))
  }

  eval (context: AtomContext, input: TypedValue[]): TypedValue[] {
    const out: TypedValue[] = []
    for (const item of input) {
      const value = item.value as unknown
      if (!value || typeof value !== 'object') continue
      if (isResource(value, this.name as never) || this.isDefinedOn(item.type)) {
        out.push(...this.interpreted.eval(context, [item]))
        continue
      }
      this.collect(value as Record<string, unknown>, (item as TypedValueWithPath).path, out)
    }
    return out
  }

  toString (): string {
    return this.name
  }

  private isDefinedOn (type: string): boolean {
    let defined = this.definedOn.get(type)
    if (defined === undefined) {
      defined = getElementDefinition(type, this.name) !== undefined
      this.definedOn.set(type, defined)
    }
    return defined
  }

  /** The property's values with their paths, as the interpreter finds them on a JSON object without a schema. */
  private collect (object: Record<string, unknown>, parentPath: string | undefined, out: TypedValue[]): void {
    const prefix = parentPath ? `${parentPath}.` : ''
    let property: string | undefined
    let type: string | undefined
    if (this.name in object) {
      property = this.name
    } else {
      for (let i = 0; i < this.suffixed.length; i++) {
        if ((this.suffixed[i] as string) in object) {
          property = this.suffixed[i]
          type = SUFFIX_TYPES[i]
          break
        }
      }
    }
    if (property === undefined) return
    const raw = object[property]
    if (!Array.isArray(raw)) {
      addTyped(out, raw, type, `${prefix}${this.name}`)
      return
    }
    for (let i = 0; i < raw.length; i++) addTyped(out, raw[i], type, `${prefix}${this.name}[${i}]`)
  }
}

/** A value typed as the interpreter types it (by its suffix, else by its JSON); one without a value after typing is dropped. */
function addTyped (out: TypedValue[], raw: unknown, suffixType: string | undefined, path: string): void {
  const typed = suffixType === undefined ? toTypedValue(raw) : { type: suffixType, value: raw }
  if (typed.value !== undefined) out.push({ type: typed.type, value: typed.value, path } as TypedValue)
}
