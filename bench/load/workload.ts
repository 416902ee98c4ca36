/**
 * The canvas-like workload: ~350-byte tldraw note records in the top-level `records`
 * map, created and dragged, each carrying a marker with its edit id and send time so that
 * receivers can measure fan-out latency without decoding the Yjs update.
 *
 * Marker (ASCII, inside the record's `meta.bench` string): `#bE<sender>.<seq>.<sentUs>#`.
 * Yjs writes strings of plain JSON values verbatim (lib0 `writeAny`), so the marker
 * appears byte for byte in every update, merged update or snapshot that carries the record.
 * Cursor markers in awareness states use the prefix `#bC`.
 */

/** Prefix of an edit marker. */
export const EDIT_MARK = Buffer.from('#bE', 'latin1')
/** Prefix of a cursor (awareness) marker. */
export const CURSOR_MARK = Buffer.from('#bC', 'latin1')

const HASH = 0x23 // '#'
const DOT = 0x2e // '.'

/** Builds a marker string. */
export function marker(kind: 'E' | 'C', sender: number, seq: number, sentUs: number): string {
  return `#b${kind}${sender}.${seq}.${sentUs}#`
}

/**
 * Calls `fn(sender, seq, sentUs)` for every marker with prefix `mark` in `buf`.
 * Returns the number of markers found. Pure byte scan: no allocation, no JSON.
 */
export function scanMarkers(
  buf: Buffer,
  mark: Buffer,
  fn: (sender: number, seq: number, sentUs: number) => void,
): number {
  let found = 0
  let from = 0
  for (;;) {
    const at = buf.indexOf(mark, from)
    if (at < 0) return found
    let i = at + mark.length
    const nums = [0, 0, 0]
    let k = 0
    let ok = false
    for (; i < buf.length; i++) {
      const c = buf[i]
      if (c >= 0x30 && c <= 0x39) nums[k] = nums[k] * 10 + (c - 0x30)
      else if (c === DOT && k < 2) k++
      else {
        ok = c === HASH && k === 2
        break
      }
    }
    if (ok) {
      fn(nums[0], nums[1], nums[2])
      found++
    }
    from = i
  }
}

/** A tldraw note shape record (every prop present, as the server's validator requires). */
export interface NoteRecord {
  id: string
  typeName: 'shape'
  type: 'note'
  x: number
  y: number
  rotation: number
  index: string
  parentId: string
  isLocked: boolean
  opacity: number
  meta: { bench?: string }
  props: Record<string, unknown>
}

/**
 * A full note record at (x, y) with `text` and the bench marker in `meta`. `index` is a
 * tldraw fractional index (shared by all notes is fine: the server does not check order).
 */
export function noteRecord(id: string, x: number, y: number, text: string, mark: string | null, index = 'a1'): NoteRecord {
  return {
    id,
    typeName: 'shape',
    type: 'note',
    x,
    y,
    rotation: 0,
    index,
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: mark ? { bench: mark } : {},
    props: {
      color: 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: null,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] },
      scale: 1,
      textLastEditedBy: null,
    },
  }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** A tldraw-style random id suffix (tldraw uses 21-character nanoids): ids do not compress. */
export function randomId(rand: () => number, length = 21): string {
  let s = ''
  for (let i = 0; i < length; i++) s += ALNUM[Math.floor(rand() * ALNUM.length)]
  return s
}

/** A fractional index `a1<3 chars>` (valid: the fraction does not end in 0). */
export function randomIndex(rand: () => number): string {
  return `a1${ALNUM[Math.floor(rand() * 52)]}${ALNUM[Math.floor(rand() * 62)]}${ALNUM[Math.floor(rand() * 52)]}`
}

/** A canvas coordinate as tldraw writes them after a drag (fractional). */
export function coordinate(rand: () => number, span: number): number {
  return Math.round(rand() * span * 100) / 100
}

// A fixed vocabulary of 2,000 pseudo-words (seeded), so that note text compresses about as
// well as real sticky-note text does (repeated words, varied sentences), not 10x better.
const VOCABULARY: string[] = (() => {
  let a = 12345
  const r = () => {
    a = (a * 1103515245 + 12345) % 2147483648
    return a / 2147483648
  }
  const out: string[] = []
  for (let i = 0; i < 2000; i++) {
    const len = 3 + Math.floor(r() * 6)
    let w = ''
    for (let j = 0; j < len; j++) w += String.fromCharCode(97 + Math.floor(r() * 26))
    out.push(w)
  }
  return out
})()

/** Sticky-note text of a realistic length (1–6 words, ~5–40 characters). */
export function noteText(rand: () => number): string {
  const n = 1 + Math.floor(rand() * 6)
  const words: string[] = []
  for (let i = 0; i < n; i++) words.push(VOCABULARY[Math.floor(rand() * rand() * VOCABULARY.length)])
  return words.join(' ')
}

/** The awareness state a client publishes: its user (shared/protocol PresenceUser) and cursor. */
export function presenceState(sender: number, cursor: { x: number; y: number } | null, mark: string | null): object {
  return {
    user: { id: `bench-user-${sender}`, name: `Bench ${sender}`, side: sender % 2 ? 'customer' : 'provider', color: '#e8590c' },
    cursor,
    ...(mark ? { bench: mark } : {}),
  }
}
