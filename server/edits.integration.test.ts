import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { buildNote, extractZones, indexKeysAbove, richText, type BoardSummary } from '../shared/domain/index.ts'
import { DocLayout, type Side } from '../shared/protocol.ts'
import { startTestServer, waitFor, type TestServer } from './test/fixtures.ts'
import { personIdOf } from './auth/tokens.ts'

/**
 * The contribution balance counts what a person would call a contribution (EDIT-1..4): the
 * workshop of issue 9 — 12 provider and 13 customer notes, plus lock-toggle attempts, a wipe and
 * its undo, and a tablet's hundreds of moves — must read about half and half, not "customer
 * carries 93%".
 */
describe('edit counts through the real server (EDIT-1..4)', () => {
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer()
  })
  afterEach(async () => {
    await t.stop()
  })

  /**
   * A person with a person secret of their own (SESS-3: the server counts edits under the id it
   * derives from it, never under the id a client writes); `pid` is that id.
   */
  async function person(boardId: string, id: string, name: string, side: Side) {
    const secret = `secret-of-${id}-0123456789`
    const c = await t.client(boardId, { person: secret })
    c.provider.awareness.setLocalStateField('user', { id, name, side, color: side === 'provider' ? '#1d4ed8' : '#c2410c' })
    return Object.assign(c, { pid: personIdOf(secret) })
  }

  async function summary(id: string): Promise<BoardSummary> {
    const res = await fetch(`${t.server.url}/api/boards/${id}/summary.json`, { headers: { authorization: `Bearer ${t.tokens(id).viewer}` } })
    expect(res.status).toBe(200)
    return (await res.json()) as BoardSummary
  }

  it('EDIT-1..3 toggles, a wipe and its undo, moves and undone text changes leave the balance at notes written', async () => {
    const id = await t.createBoard({ templates: ['pyramid'] })
    const pekka = await person(id, 'prov-1', 'Pekka Provider', 'provider')
    const kaisa = await person(id, 'cust-1', 'Kaisa Customer', 'customer')
    const tablet = await person(id, 'cust-2', 'Meeting room tablet', 'customer')
    await new Promise((r) => setTimeout(r, 50)) // presence reaches the server before the writes

    const indices = indexKeysAbove('a9' as never, 25)
    const ease = extractZones([...pekka.records.values()]).find((z) => z.zone === 'ease')!
    const write = (c: typeof pekka, who: { authorId: string; authorName: string; side: Side }, n: number, prefix: string) =>
      c.doc.transact(() => {
        for (let i = 0; i < n; i++) {
          const note = buildNote({
            id: `${prefix}${i}`,
            x: ease.bounds.x + 20 + i * 30,
            y: ease.bounds.y + 20,
            index: indices[(prefix === 'p' ? 0 : 12) + i],
            text: `${who.authorName}'s idea ${i}`,
            author: who,
          })
          c.records.set(note.id, note)
        }
      })
    write(pekka, { authorId: 'prov-1', authorName: 'Pekka Provider', side: 'provider' }, 12, 'p')
    write(kaisa, { authorId: 'cust-1', authorName: 'Kaisa Customer', side: 'customer' }, 13, 'k')
    const all = [...Array(12).keys()].map((i) => `shape:p${i}`).concat([...Array(13).keys()].map((i) => `shape:k${i}`))
    await waitFor(() => all.every((k) => tablet.records.has(k) && pekka.records.has(k) && kaisa.records.has(k)), 5000, 'notes everywhere')

    // Kaisa tries the lock of a template zone (her client reverts it) — four times.
    const zoneId = [...kaisa.records.entries()].find(([, r]) => (r as { meta?: { arvo?: { kind?: string } } }).meta?.arvo?.kind === 'zone')![0]
    for (let i = 0; i < 4; i++) {
      const z = kaisa.records.get(zoneId) as Record<string, unknown>
      kaisa.records.set(zoneId, { ...z, isLocked: false })
      kaisa.records.set(zoneId, { ...z, isLocked: true })
    }
    // The tablet moves notes around: 353 moves, none of them a text change.
    for (let i = 0; i < 353; i++) {
      const key = `shape:k${i % 13}`
      const n = tablet.records.get(key) as { x: number }
      tablet.records.set(key, { ...n, x: n.x + 1 })
    }
    /** Everyone holds everything `from` wrote (equal values are no proof: a re-added note looks the same). */
    const caughtUp = (from: typeof pekka) => {
      const clock = Y.getState(from.doc.store, from.doc.clientID)
      return [pekka, kaisa, tablet].every((x) => Y.getState(x.doc.store, from.doc.clientID) === clock)
    }
    await waitFor(() => caughtUp(tablet) && caughtUp(kaisa), 5000, 'the tablet’s moves and Kaisa’s toggles everywhere')
    // Kaisa wipes her notes and undoes the wipe (the same records come back).
    const mine = [...kaisa.records.entries()].filter(([k]) => k.startsWith('shape:k'))
    kaisa.doc.transact(() => mine.forEach(([k]) => kaisa.records.delete(k)))
    kaisa.doc.transact(() => mine.forEach(([k, v]) => kaisa.records.set(k, v)))
    // Pekka changes a note's text and types it back: no edit either.
    const p0 = pekka.records.get('shape:p0') as ReturnType<typeof buildNote>
    pekka.records.set('shape:p0', { ...p0, props: { ...p0.props, richText: richText('Pekka wonders') } })
    pekka.records.set('shape:p0', p0)

    // Then one real edit: Pekka rewrites one of Kaisa's notes.
    await waitFor(() => caughtUp(kaisa) && caughtUp(pekka), 5000, 'the restored notes everywhere')
    const k3 = pekka.records.get('shape:k3') as ReturnType<typeof buildNote>
    pekka.records.set('shape:k3', { ...k3, props: { ...k3.props, richText: richText('Kaisa’s idea 3, with a named owner') } })

    const metaKeys = () => [...tablet.doc.getMap(DocLayout.meta).keys()].filter((k) => k.startsWith(DocLayout.editsPrefix))
    await waitFor(() => metaKeys().length > 0, 6000, 'edit counts in meta')
    await new Promise((r) => setTimeout(r, 2500)) // any further (wrong) count would be written by now
    expect(metaKeys()).toEqual([`${DocLayout.editsPrefix}${pekka.pid}`])

    const s = await summary(id)
    expect(s.balance.provider).toMatchObject({ notes: 12, edits: 1, contributions: 13 })
    expect(s.balance.customer).toMatchObject({ notes: 13, edits: 0, contributions: 13 })
    expect(s.balance.warning).toBeNull()
  })

  it('EDIT-4 a text change inside a refused update is not counted', { timeout: 40_000 }, async () => {
    const id = await t.createBoard()
    const pekka = await person(id, 'prov-1', 'Pekka', 'provider')
    const kaisa = await person(id, 'cust-1', 'Kaisa', 'customer')
    const note = buildNote({ id: 'n1', x: 0, y: 0, index: 'a5' as never, text: 'Weekly status call', author: { authorId: 'prov-1', authorName: 'Pekka', side: 'provider' } })
    pekka.records.set(note.id, note)
    await waitFor(() => kaisa.records.has(note.id), 3000, 'note at Kaisa')
    // First an accepted edit of Kaisa's: the server knows who she is, and it counts.
    kaisa.records.set(note.id, { ...note, props: { ...note.props, richText: richText('Weekly status call, 30 min') } })
    const kaisaEdits = () => (pekka.doc.getMap(DocLayout.meta).get(`${DocLayout.editsPrefix}${kaisa.pid}`) as { edits?: number } | undefined)?.edits
    await waitFor(() => kaisaEdits() === 1, 6000, 'Kaisa’s accepted edit counted')
    await new Promise((r) => setTimeout(r, 15_500)) // past the edit window: a new text change would count again
    const closed = new Promise<number>((resolve) => kaisa.provider.once('connection-close', (e: CloseEvent | null) => resolve(e?.code ?? 0)))
    kaisa.doc.transact(() => {
      kaisa.records.set(note.id, { ...note, props: { ...note.props, richText: richText('Daily status call') } }) // a new text, past the window
      kaisa.records.set('shape:bad', { id: 'shape:bad', typeName: 'shape', type: 'note', props: { nonsense: true } })
    })
    expect(await closed).toBe(4003)
    kaisa.provider.disconnect()
    await new Promise((r) => setTimeout(r, 2500))
    expect(kaisaEdits()).toBe(1)
    expect((await summary(id)).balance.customer.edits).toBe(1)
  })
})
