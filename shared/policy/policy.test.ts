import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { validateRecord } from '../../server/validation.ts'
import { buildNote, geoShape, placeTemplates, readArvoMeta, setRating, withActionFields } from '../domain/index.ts'
import type { Role, SessionFlags, Side } from '../protocol.ts'
import { checkMetaWrite, checkRecordWrite, checkSessionWrite, maySelect, whyNoWrites, type Access, type Verdict } from './index.ts'

const OPEN: SessionFlags = { boardLocked: false, templatesUnlocked: false }
function access(role: Role, over: Partial<Access> = {}): Access {
  const side: Side | null = role === 'participant' ? 'customer' : null
  return { role, side, personId: `${role}-person`, name: `${role} name`, flags: OPEN, ...over }
}
const facilitator = access('facilitator')
const customer = access('participant')
const provider = access('participant', { side: 'provider', personId: 'prov-person', name: 'Pekka' })
const viewer = access('viewer')
const locked = (a: Access): Access => ({ ...a, flags: { ...a.flags, boardLocked: true } })
const unlockedTemplates = (a: Access): Access => ({ ...a, flags: { ...a.flags, templatesUnlocked: true } })

const shapes = placeTemplates(['pyramid', 'staircase'], 'en')
const zone = shapes.find((s) => readArvoMeta(s)?.kind === 'zone')!
const label = shapes.find((s) => readArvoMeta(s)?.kind === 'label')!
const ratingOf = (side: Side) => shapes.find((s) => { const m = readArvoMeta(s); return m?.kind === 'rating' && m.side === side })!
const customerRating = ratingOf('customer')
const providerRating = ratingOf('provider')
const PIA = { authorId: 'pia', authorName: 'Pia', side: 'provider' as Side }
const note = buildNote({ id: 'n1', x: 0, y: 0, index: 'a5' as never, text: 'Faster onboarding', author: PIA })
const rect = geoShape({ id: 'r1', x: 0, y: 0, w: 10, h: 10, index: 'a6' as never, isLocked: false, meta: {} })

const kind = (v: Verdict) => (v.kind === 'refuse' ? `refuse:${v.code}` : v.kind)
const metaOf = (v: Verdict) => (v.kind === 'correct' ? readArvoMeta(v.value) : null)

describe('shared policy: who may write what (server/SPEC.md ROLE-*)', () => {
  it('ROLE-1 ROLE-2 a viewer never writes; a participant not while the board is locked; the facilitator always', () => {
    expect(whyNoWrites(viewer)).toMatch(/viewer/)
    expect(whyNoWrites(customer)).toBeNull()
    expect(whyNoWrites(locked(customer))).toMatch(/locked/)
    expect(whyNoWrites(facilitator)).toBeNull()
    expect(whyNoWrites(locked(facilitator))).toBeNull()
    // Every kind of record write by a viewer, or by a participant on a locked board, is refused with 4403.
    for (const a of [viewer, locked(customer)]) {
      expect(kind(checkRecordWrite(a, rect.id, undefined, rect))).toBe('refuse:forbidden')
      expect(kind(checkRecordWrite(a, note.id, note, { ...note, x: 5 }))).toBe('refuse:forbidden')
      expect(kind(checkRecordWrite(a, note.id, note, undefined))).toBe('refuse:forbidden')
      expect(kind(checkMetaWrite(a, 'schema', { schemaVersion: 2, sequences: {} }))).toBe(a.role === 'viewer' ? 'refuse:forbidden' : 'allow')
    }
    // Positive controls: the same writes by an unlocked participant and by a facilitator on a locked board.
    for (const a of [customer, locked(facilitator)]) {
      expect(kind(checkRecordWrite(a, rect.id, undefined, rect))).toBe('allow')
      expect(kind(checkRecordWrite(a, note.id, note, { ...note, x: 5 }))).toBe('allow')
      expect(kind(checkRecordWrite(a, note.id, note, undefined))).toBe('allow')
    }
  })

  it('ROLE-3 the schema check comes first (4003), and the document and page are never deleted, by anyone', () => {
    const bad = { ...rect, props: { nonsense: true } }
    for (const a of [facilitator, customer]) {
      expect(checkRecordWrite(a, rect.id, undefined, bad, validateRecord)).toMatchObject({ kind: 'refuse', code: 'invalidRecord' })
      expect(kind(checkRecordWrite(a, rect.id, undefined, rect, validateRecord))).toBe('allow')
      expect(kind(checkRecordWrite(a, 'page:page', {}, undefined))).toBe('refuse:invalidRecord')
      expect(kind(checkRecordWrite(a, 'document:document', {}, undefined))).toBe('refuse:invalidRecord')
    }
  })

  it('ROLE-3 LOCK-1 a participant cannot create, move, resize, restyle, unlock or delete template parts while they are locked', () => {
    for (const s of [zone, label, customerRating]) {
      expect(kind(checkRecordWrite(customer, s.id, undefined, s))).toBe('refuse:forbidden') // create ("Add template")
      expect(kind(checkRecordWrite(customer, s.id, s, { ...s, x: s.x + 50 }))).toBe('refuse:forbidden')
      expect(kind(checkRecordWrite(customer, s.id, s, { ...s, isLocked: false }))).toBe('refuse:forbidden')
      expect(kind(checkRecordWrite(customer, s.id, s, { ...s, opacity: 0.5 }))).toBe('refuse:forbidden')
      expect(kind(checkRecordWrite(customer, s.id, s, { ...s, props: { ...s.props, w: 10 } }))).toBe('refuse:forbidden')
      expect(kind(checkRecordWrite(customer, s.id, s, undefined))).toBe('refuse:forbidden')
    }
    // A plain shape turned into a template part (a forged zone) is refused too; un-templating one as well.
    expect(kind(checkRecordWrite(customer, rect.id, rect, { ...rect, meta: zone.meta }))).toBe('refuse:forbidden')
    expect(kind(checkRecordWrite(customer, zone.id, zone, { ...zone, meta: {} }))).toBe('refuse:forbidden')
  })

  it('ROLE-3 LOCK-1 the facilitator may do anything with template parts (positive control)', () => {
    for (const s of [zone, label, customerRating, providerRating]) {
      expect(kind(checkRecordWrite(facilitator, s.id, undefined, s))).toBe('allow')
      expect(kind(checkRecordWrite(facilitator, s.id, s, { ...s, x: s.x + 50, isLocked: false }))).toBe('allow')
      expect(kind(checkRecordWrite(facilitator, s.id, s, undefined))).toBe('allow')
    }
    expect(kind(checkRecordWrite(facilitator, providerRating.id, providerRating, setRating(providerRating as never, 2)))).toBe('allow')
  })

  it('ROLE-3 RATE-C1 a participant may rate its own side only: value and label, nothing else', () => {
    const rated = setRating(customerRating as never, 4) as TLShape
    expect(kind(checkRecordWrite(customer, customerRating.id, customerRating, rated))).toBe('allow')
    expect(kind(checkRecordWrite(customer, customerRating.id, rated, customerRating))).toBe('allow') // its undo
    expect(kind(checkRecordWrite(customer, customerRating.id, customerRating, { ...rated, x: rated.x + 5 }))).toBe('refuse:forbidden')
    const otherSide = setRating(providerRating as never, 4) as TLShape
    expect(kind(checkRecordWrite(customer, providerRating.id, providerRating, otherSide))).toBe('refuse:forbidden')
    expect(kind(checkRecordWrite(provider, providerRating.id, providerRating, otherSide))).toBe('allow')
    // Re-siding the rating in the same write is not a rating change.
    const resided = { ...rated, meta: { arvo: { ...(rated.meta.arvo as object), side: 'provider' } } } as TLShape
    expect(kind(checkRecordWrite(customer, customerRating.id, customerRating, resided))).toBe('refuse:forbidden')
  })

  it('ROLE-3 with the templates unlocked a participant may create, change and delete template parts, but still rates only its side', () => {
    const a = unlockedTemplates(customer)
    for (const s of [zone, label, customerRating]) {
      expect(kind(checkRecordWrite(a, s.id, undefined, s))).toBe('allow')
      expect(kind(checkRecordWrite(a, s.id, s, { ...s, x: s.x + 50, isLocked: false }))).toBe('allow')
      expect(kind(checkRecordWrite(a, s.id, s, undefined))).toBe('allow')
    }
    expect(kind(checkRecordWrite(a, providerRating.id, providerRating, setRating(providerRating as never, 3)))).toBe('refuse:forbidden')
    expect(kind(checkRecordWrite(a, providerRating.id, providerRating, { ...providerRating, x: 1 }))).toBe('allow')
    // Unlocked templates do not open a locked board.
    expect(kind(checkRecordWrite(locked(a), zone.id, zone, { ...zone, x: 1 }))).toBe('refuse:forbidden')
  })

  it('ROLE-4 a new note is attributed by the server: the writer\'s person id, the participant\'s token side, its name', () => {
    // A customer-link participant claims to be Pia (provider).
    const v = checkRecordWrite(customer, note.id, undefined, note)
    expect(v.kind).toBe('correct')
    expect(metaOf(v)).toEqual({ kind: 'note', authorId: 'participant-person', authorName: 'participant name', side: 'customer' })
    expect((v as { value: TLShape }).value.props).toEqual(note.props) // only the author changed
    // Any note meta, even malformed, is a claim: the writer's. A note without note meta stays unattributed (counts for nobody).
    const claim = { ...note, meta: { arvo: { kind: 'note', authorId: '' } } }
    expect(metaOf(checkRecordWrite(provider, note.id, undefined, claim))).toEqual({ kind: 'note', authorId: 'prov-person', authorName: 'Pekka', side: 'provider' })
    expect(kind(checkRecordWrite(provider, note.id, undefined, { ...note, meta: {} }))).toBe('allow')
    // Without a known name, the client's name is kept (never its id or side).
    expect(metaOf(checkRecordWrite({ ...customer, name: null }, note.id, undefined, note))).toEqual({ kind: 'note', authorId: 'participant-person', authorName: 'Pia', side: 'customer' })
    // The facilitator keeps its own side choice (from its presence, else the note's), never its claimed id.
    expect(metaOf(checkRecordWrite({ ...facilitator, chosenSide: 'customer' }, note.id, undefined, note))).toMatchObject({ authorId: 'facilitator-person', side: 'customer' })
    expect(metaOf(checkRecordWrite(facilitator, note.id, undefined, note))).toMatchObject({ authorId: 'facilitator-person', side: 'provider' })
    // A note already attributed to the writer is allowed as it is (positive control).
    const own = buildNote({ id: 'n2', x: 0, y: 0, index: 'a7' as never, text: '', author: { authorId: 'prov-person', authorName: 'Pekka', side: 'provider' } })
    expect(kind(checkRecordWrite(provider, own.id, undefined, own))).toBe('allow')
    // Action fields of a pasted note are kept.
    const action = { ...note, meta: withActionFields(note.meta, { owner: 'Kalle', due: '2026-12-01' }) }
    expect(metaOf(checkRecordWrite(customer, note.id, undefined, action))).toMatchObject({ authorId: 'participant-person', owner: 'Kalle', due: '2026-12-01' })
  })

  it('ROLE-4 META-4 a note\'s author is immutable: a re-attributing change is corrected back, other fields kept', () => {
    for (const a of [customer, provider, facilitator]) {
      const hijack = { ...note, x: 40, meta: { arvo: { ...(note.meta.arvo as object), authorId: a.personId, side: 'customer' } } } as TLShape
      const v = checkRecordWrite(a, note.id, note, hijack)
      expect(metaOf(v)).toEqual({ kind: 'note', authorId: 'pia', authorName: 'Pia', side: 'provider' })
      expect((v as { value: TLShape }).value.x).toBe(40)
      // Dropping the meta is corrected back as well.
      expect(metaOf(checkRecordWrite(a, note.id, note, { ...note, meta: {} }))).toMatchObject({ authorId: 'pia' })
    }
    // Text, position and action fields may change (positive control).
    const next = { ...note, x: 9, meta: withActionFields(note.meta, { owner: 'Kalle', ownerSide: 'customer' }) }
    expect(kind(checkRecordWrite(customer, note.id, note, next))).toBe('allow')
    // An unattributed note (e.g. written by a script) that gains note meta becomes the writer's.
    const bare = { ...note, meta: {} }
    expect(metaOf(checkRecordWrite(customer, note.id, bare, note))).toMatchObject({ authorId: 'participant-person', side: 'customer' })
    expect(kind(checkRecordWrite(customer, note.id, bare, { ...bare, x: 3 }))).toBe('allow')
  })

  it('ROLE-3 other shapes, bindings and assets: participants and the facilitator may create, change and delete them', () => {
    for (const a of [customer, facilitator]) {
      expect(kind(checkRecordWrite(a, rect.id, undefined, rect, validateRecord))).toBe('allow')
      expect(kind(checkRecordWrite(a, rect.id, rect, { ...rect, x: 3 }, validateRecord))).toBe('allow')
      expect(kind(checkRecordWrite(a, rect.id, rect, undefined))).toBe('allow')
    }
  })

  it('ROLE-6 meta: only `schema` by non-viewers; `edits:*` only the server; other keys are outside the layout', () => {
    const schema = { schemaVersion: 2, sequences: {} }
    for (const a of [facilitator, customer]) {
      expect(kind(checkMetaWrite(a, 'schema', schema))).toBe('allow')
      expect(kind(checkMetaWrite(a, 'schema', undefined))).toBe('refuse:invalidRecord')
      expect(kind(checkMetaWrite(a, 'schema', 'x'))).toBe('refuse:invalidRecord')
      expect(kind(checkMetaWrite(a, 'edits:someone', { authorId: 'someone', edits: 99 }))).toBe('refuse:forbidden')
      expect(kind(checkMetaWrite(a, 'other', 1))).toBe('refuse:invalidRecord')
    }
    expect(kind(checkMetaWrite(viewer, 'schema', schema))).toBe('refuse:forbidden')
  })

  it('ROLE-5 session: only the facilitator, only facilitator keys with values that pass their check', () => {
    expect(kind(checkSessionWrite(facilitator, 'boardLocked', true))).toBe('allow')
    expect(kind(checkSessionWrite(facilitator, 'templatesUnlocked', false))).toBe('allow')
    expect(kind(checkSessionWrite(facilitator, 'boardLocked', undefined))).toBe('allow')
    expect(kind(checkSessionWrite(facilitator, 'boardLocked', 'yes'))).toBe('refuse:invalidRecord')
    expect(kind(checkSessionWrite(facilitator, 'timer', 5))).toBe('refuse:invalidRecord')
    expect(kind(checkSessionWrite(facilitator, 'toString', true))).toBe('refuse:invalidRecord')
    for (const a of [customer, viewer, locked(customer)]) {
      expect(kind(checkSessionWrite(a, 'boardLocked', false))).toBe('refuse:forbidden')
      expect(kind(checkSessionWrite(a, 'templatesUnlocked', true))).toBe('refuse:forbidden')
    }
  })

  it('FAC-1 server keys are refused to every client, the facilitator too; FAC-2 a running timer ends at the server clock', () => {
    for (const key of ['voteProgress', 'voteResult', 'privateCounts']) {
      for (const a of [facilitator, customer, viewer]) expect(kind(checkSessionWrite(a, key, undefined))).toBe('refuse:forbidden')
    }
    expect(kind(checkSessionWrite(facilitator, 'title', 'Value workshop'))).toBe('allow')
    expect(kind(checkSessionWrite(facilitator, 'title', '  padded '))).toBe('refuse:invalidRecord')
    const running = { status: 'running', durationMs: 300_000, remainingMs: 240_000, endsAt: 1 }
    const verdict = checkSessionWrite(facilitator, 'timer', running, 1_000_000)
    expect(verdict).toEqual({ kind: 'correct', value: { ...running, endsAt: 1_240_000 } })
    expect(kind(checkSessionWrite(facilitator, 'timer', { ...running, endsAt: 1_240_000 }, 1_000_000))).toBe('allow')
    expect(kind(checkSessionWrite(facilitator, 'timer', { status: 'paused', durationMs: 1, remainingMs: 1, endsAt: null }))).toBe('allow')
    expect(kind(checkSessionWrite(facilitator, 'timer', { status: 'paused', durationMs: 1, remainingMs: 1, endsAt: null, extra: 1 }))).toBe('refuse:invalidRecord')
    expect(kind(checkSessionWrite(customer, 'timer', running))).toBe('refuse:forbidden')
  })

  it('LOCK-1 selection: participants never select template parts while locked; the facilitator selects anything', () => {
    expect(maySelect(customer, zone)).toBe(false)
    expect(maySelect(customer, note)).toBe(true)
    expect(maySelect(unlockedTemplates(customer), zone)).toBe(true)
    expect(maySelect(facilitator, zone)).toBe(true)
  })
})
