/**
 * Where the items of a Yjs (v1) update hang, read before the update is applied (SRV-4).
 *
 * Yjs creates a top-level type the moment it *decodes* an item whose parent is given by name
 * (`doc.get(name)` inside `Y.applyUpdate`), so a write outside the doc layout has to be found
 * before the update touches the room's doc. This is a reader of the update's struct section
 * only (the delete set cannot add a type): it skips contents without decoding them (no JSON
 * objects are built), about 2 µs for a note update (Yjs's own decodeUpdate: ~13 µs).
 *
 * Format (yjs 13, `readClientsStructRefs`): varUint #clients; per client varUint #structs,
 * varUint client, varUint first clock; per struct one info byte: low 5 bits 0 = GC (varUint
 * length), 10 = Skip (varUint length), else an Item: origin id if bit 8, right origin id if
 * bit 7; with neither, parent info (varUint 1 + root name string, or 0 + the parent type's
 * item id) and, if bit 6, the parent key; then the content by the low 5 bits.
 */
import * as Y from 'yjs'

/** An id (client, clock) of a struct an item of the update hangs off. */
export interface StructRef {
  client: number
  clock: number
}

/** What {@link updateParents} found. */
export interface UpdateParents {
  /** Root names of the items whose parent is given by name. */
  roots: Set<string>
  /**
   * Ids its items hang off (origin, right origin, or the item of their parent type): they
   * belong to whatever root that struct belongs to. Ids the doc does not have yet are the
   * update's own new items (the caller skips them). Only collected when asked for.
   */
  refs: StructRef[]
  /** Root names of items written into a root by name without a key (list items, not map entries). */
  keyless: Set<string>
  /** Per client: the clock range its structs cover (`from` = first clock, `to` = one past the last). */
  clients: { client: number; from: number; to: number }[]
}

class Reader {
  pos = 0
  constructor(private readonly a: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.a.length) throw new Error('unexpected end of update')
    return this.a[this.pos++]
  }

  uint(): number {
    let num = 0
    let mult = 1
    for (;;) {
      const r = this.byte()
      num += (r & 0x7f) * mult
      if (r < 0x80) return num
      mult *= 128
      if (num > Number.MAX_SAFE_INTEGER) throw new Error('integer out of range')
    }
  }

  skip(n: number): void {
    if (n > this.a.length - this.pos) throw new Error('unexpected end of update')
    this.pos += n
  }

  skipString(): void {
    this.skip(this.uint())
  }

  string(): string {
    const len = this.uint()
    this.skip(len)
    return utf8.decode(this.a.subarray(this.pos - len, this.pos))
  }

  /** Skips one lib0 `any` value (lib0/decoding readAny). */
  skipAny(depth = 0): void {
    if (depth > 1000) throw new Error('value nested too deep')
    const type = this.byte()
    switch (type) {
      case 127: // undefined
      case 126: // null
      case 121: // false
      case 120: // true
        return
      case 125: // varInt
        this.uint()
        return
      case 124: // float32
        this.skip(4)
        return
      case 123: // float64
      case 122: // bigint64
        this.skip(8)
        return
      case 119: // string
      case 116: // Uint8Array
        this.skipString()
        return
      case 118: {
        // object: n x (key, value)
        const n = this.uint()
        for (let i = 0; i < n; i++) {
          this.skipString()
          this.skipAny(depth + 1)
        }
        return
      }
      case 117: {
        // array
        const n = this.uint()
        for (let i = 0; i < n; i++) this.skipAny(depth + 1)
        return
      }
      default:
        throw new Error(`unknown value type ${type}`)
    }
  }
}

// as lib0 decodes strings (Yjs fails on invalid UTF-8; a BOM is part of the string)
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Yjs type refs whose content carries a name (YXmlElement, YXmlHook). */
const TYPE_WITH_KEY = new Set([3, 5])

/**
 * Reads the struct section of a Yjs v1 update: the root names its items are written to by
 * name, and (with `collectRefs`) the ids outside the update that its other items hang off.
 * Throws on an update it cannot read (the caller falls back to {@link updateParentsByYjs}).
 */
export function updateParents(update: Uint8Array, collectRefs = false): UpdateParents {
  const r = new Reader(update)
  const roots = new Set<string>()
  const keyless = new Set<string>()
  const refs: StructRef[] = []
  const ranges: UpdateParents['clients'] = []
  const ref = (client: number, clock: number): void => {
    if (collectRefs) refs.push({ client, clock })
  }
  const clients = r.uint()
  for (let c = 0; c < clients; c++) {
    const structs = r.uint()
    const client = r.uint()
    const from = r.uint()
    let to = from
    for (let s = 0; s < structs; s++) {
      const info = r.byte()
      const kind = info & 0x1f
      if (kind === 0 || kind === 10) {
        to += r.uint() // GC or Skip (its length): no parent
        continue
      }
      if (info & 0x80) ref(r.uint(), r.uint())
      if (info & 0x40) ref(r.uint(), r.uint())
      if ((info & 0xc0) === 0) {
        if (r.uint() === 1) {
          const root = r.string()
          roots.add(root)
          if (!(info & 0x20)) keyless.add(root)
        } else ref(r.uint(), r.uint())
        if (info & 0x20) r.skipString()
      }
      to += skipContent(r, kind)
    }
    if (structs > 0) ranges.push({ client, from, to })
  }
  // Every reference, also those into clocks the update itself covers: a Skip or GC struct (or
  // an item the doc already has) covers clocks without adding anything, and Yjs then resolves
  // the reference to the doc's own item. The caller ignores ids the doc does not have yet.
  return { roots, refs, keyless, clients: ranges }
}

/** Skips an item's content (yjs `readItemContent`); returns the item's length in clock units. */
function skipContent(r: Reader, kind: number): number {
  switch (kind) {
    case 1: // ContentDeleted
      return r.uint()
    case 2: {
      // ContentJSON: n strings
      const n = r.uint()
      for (let i = 0; i < n; i++) r.skipString()
      return n
    }
    case 3: // ContentBinary
    case 5: // ContentEmbed (JSON string)
      r.skipString()
      return 1
    case 4: // ContentString: length in UTF-16 code units
      return r.string().length
    case 6: // ContentFormat: key, JSON string
      r.skipString()
      r.skipString()
      return 1
    case 7: {
      // ContentType: YArray 0, YMap 1, YText 2, YXmlElement 3 (+ name), YXmlFragment 4, YXmlHook 5 (+ name), YXmlText 6
      const typeRef = r.uint()
      if (typeRef > 6) throw new Error(`unknown type ref ${typeRef}`)
      if (TYPE_WITH_KEY.has(typeRef)) r.skipString()
      return 1
    }
    case 8: {
      // ContentAny: n values
      const n = r.uint()
      for (let i = 0; i < n; i++) r.skipAny()
      return n
    }
    case 9: // ContentDoc: guid, options
      r.skipString()
      r.skipAny()
      return 1
    default:
      throw new Error(`unknown content type ${kind}`)
  }
}

/**
 * The same answer as {@link updateParents}, from Yjs's own decoder (slower: it builds every
 * value). Used when the fast reader cannot read an update; throws when Yjs cannot either.
 */
export function updateParentsByYjs(update: Uint8Array, collectRefs = false): UpdateParents {
  const { structs } = Y.decodeUpdate(update)
  const roots = new Set<string>()
  const keyless = new Set<string>()
  const refs: StructRef[] = []
  const byClient = new Map<number, { client: number; from: number; to: number }>()
  for (const s of structs) {
    const r = byClient.get(s.id.client)
    if (r) r.to = Math.max(r.to, s.id.clock + s.length)
    else byClient.set(s.id.client, { client: s.id.client, from: s.id.clock, to: s.id.clock + s.length })
  }
  const ref = (id: Y.ID | null): void => {
    if (id && collectRefs) refs.push({ client: id.client, clock: id.clock })
  }
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue
    ref(s.origin)
    ref(s.rightOrigin)
    // decodeUpdate leaves the parent as the root name or the parent item's id
    const parent = s.parent as unknown
    if (typeof parent === 'string') {
      roots.add(parent)
      if (s.parentSub === null && !s.origin && !s.rightOrigin) keyless.add(parent)
    } else if (parent instanceof Y.ID) ref(parent)
  }
  return { roots, refs, keyless, clients: [...byClient.values()] }
}
