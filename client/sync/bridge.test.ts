import type { TLRecord } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DocLayout } from '../../shared/protocol.ts'
import { documentRecord, makeStore, MemoryNetwork, note, page } from '../test/storeFixtures.ts'
import { BRIDGE_ORIGIN, bindStoreToDoc } from './bridge.ts'
import type { PrivateModeState, PrivateNotesPresence } from '../../shared/facilitation/index.ts'
import { createPrivateNotes, privateStorageKey, type NoteStorage } from '../workshop/privateNotes.ts'
import { privateRoundNow, roundsDue, roundsToPublishNow } from '../workshop/privateTriggers.ts'

function seededDoc(): Y.Doc {
  const doc = new Y.Doc()
  doc.getMap(DocLayout.records).set(documentRecord.id, documentRecord)
  doc.getMap(DocLayout.records).set(page.id, page)
  return doc
}

function peer(doc: Y.Doc) {
  const store = makeStore()
  const invalid: string[] = []
  const bridge = bindStoreToDoc(store, doc, { onInvalidRecord: (id, why) => invalid.push(`${id}: ${why}`) })
  return { store, doc, bridge, invalid }
}

const userPut = (store: ReturnType<typeof makeStore>, r: TLRecord) => store.put([r])

describe('tldraw store <-> Yjs bridge', () => {
  it('BRG-1 loads the doc into the store and writes the schema', () => {
    const doc = seededDoc()
    doc.getMap(DocLayout.records).set('shape:n', note('shape:n', 5, 'hello'))
    const { store } = peer(doc)
    expect(store.get('shape:n' as TLRecord['id'])).toMatchObject({ x: 5 })
    expect(doc.getMap(DocLayout.meta).get(DocLayout.schemaKey)).toEqual(store.schema.serialize())
  })

  it('BRG-2/3 two peers converge in both directions through the docs', () => {
    const base = seededDoc()
    const a = peer(base)
    const bDoc = new Y.Doc()
    Y.applyUpdate(bDoc, Y.encodeStateAsUpdate(base))
    const net = new MemoryNetwork([a.doc, bDoc])
    const b = peer(bDoc)
    userPut(a.store, note('shape:1', 10, 'from A'))
    userPut(b.store, note('shape:2', 20, 'from B', 'a2'))
    net.flush()
    expect(b.store.get('shape:1' as TLRecord['id'])).toMatchObject({ x: 10 })
    expect(a.store.get('shape:2' as TLRecord['id'])).toMatchObject({ x: 20 })
    a.store.update('shape:2' as TLRecord['id'], (r) => ({ ...r, x: 99 }) as TLRecord)
    b.store.remove(['shape:1' as TLRecord['id']])
    net.flush()
    expect(b.store.get('shape:2' as TLRecord['id'])).toMatchObject({ x: 99 })
    expect(a.store.has('shape:1' as TLRecord['id'])).toBe(false)
    const docRecords = (s: typeof a.store) => s.allRecords().filter((r) => s.schema.types[r.typeName].scope === 'document')
    expect(docRecords(a.store)).toEqual(docRecords(b.store))
  })

  it('BRG-2 one local change is one Yjs transaction; BRG-4 no echo either way', () => {
    const doc = seededDoc()
    const a = peer(doc)
    const origins: unknown[] = []
    doc.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin))
    let remoteChangesSeen = 0
    a.store.listen(() => remoteChangesSeen++, { source: 'remote' })
    a.store.put([note('shape:x', 0, 'x'), note('shape:y', 1, 'y', 'a2')])
    expect(origins).toEqual([BRIDGE_ORIGIN])
    expect(remoteChangesSeen).toBe(0)
    // A remote write reaches the store once and is not written back to the doc.
    doc.transact(() => doc.getMap(DocLayout.records).set('shape:z', note('shape:z', 3, 'z', 'a3')), 'network')
    expect(origins).toEqual([BRIDGE_ORIGIN, 'network'])
  })

  it('BRG-2 a local change of 2,500 records is split into transactions of at most 1,000', () => {
    const doc = seededDoc()
    const a = peer(doc)
    const sizes: number[] = []
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.origin === BRIDGE_ORIGIN) sizes.push(tr.changed.get(doc.getMap(DocLayout.records) as never)?.size ?? 0)
    })
    a.store.put(Array.from({ length: 2500 }, (_, i) => note(`shape:p${i}`, i, `p${i}`, `a1${i.toString(36)}V`)))
    expect(sizes).toEqual([1000, 1000, 500])
    expect(doc.getMap(DocLayout.records).size).toBe(2502)
  })

  it('BRG-3 a remote batch of 1,000 records is one store transaction', () => {
    const doc = seededDoc()
    const a = peer(doc)
    const batches: number[] = []
    a.store.listen(({ changes }) => batches.push(Object.keys(changes.added).length), { source: 'remote' })
    doc.transact(() => {
      for (let i = 0; i < 1000; i++) {
        doc.getMap(DocLayout.records).set(`shape:b${i}`, note(`shape:b${i}`, i, `n${i}`, `a1${i.toString(36)}V`))
      }
    }, 'network')
    expect(batches).toEqual([1000])
  })

  it('BRG-5 invalid records from the doc are skipped and reported, the rest applies', () => {
    const doc = seededDoc()
    const a = peer(doc)
    doc.transact(() => {
      const records = doc.getMap(DocLayout.records)
      records.set('shape:ok', note('shape:ok', 1, 'fine'))
      records.set('shape:bad', { ...note('shape:bad', 2, 'bad'), x: 'NaN' })
      records.set('shape:wrongid', note('shape:other', 3, 'x'))
      records.set('camera:c', { id: 'camera:c', typeName: 'camera', x: 0, y: 0, z: 1, meta: {} })
    }, 'network')
    expect(a.store.has('shape:ok' as TLRecord['id'])).toBe(true)
    expect(a.store.has('shape:bad' as TLRecord['id'])).toBe(false)
    expect(a.store.has('camera:c' as TLRecord['id'])).toBe(false)
    expect(a.invalid.map((s) => s.split(':').slice(0, 2).join(':'))).toEqual(['shape:bad', 'shape:wrongid', 'camera:c'])
    expect(a.bridge.skipped).toBe(3)
  })

  it('BRG-1 migrates records written by an older schema and writes them back', () => {
    const ours = makeStore().schema.serialize()
    const older = JSON.parse(JSON.stringify(ours))
    older.sequences['com.tldraw.shape.note'] = 11
    const old = note('shape:old', 7, 'old') as unknown as { props: Record<string, unknown> }
    old.props.fontSizeAdjustment = 0
    old.props.textFirstEditedBy = null
    delete old.props.textLastEditedBy
    const doc = seededDoc()
    doc.getMap(DocLayout.meta).set(DocLayout.schemaKey, older)
    doc.getMap(DocLayout.records).set('shape:old', old)
    const a = peer(doc)
    expect(a.invalid).toEqual([])
    const loaded = a.store.get('shape:old' as TLRecord['id']) as unknown as { props: Record<string, unknown> }
    expect(loaded.props.fontSizeAdjustment).toBe(1)
    expect(loaded.props.textLastEditedBy).toBeNull()
    expect(doc.getMap(DocLayout.meta).get(DocLayout.schemaKey)).toEqual(ours)
    expect((doc.getMap(DocLayout.records).get('shape:old') as typeof old).props.textFirstEditedBy).toBeUndefined()
  })

  it('BRG-3 remote changes wait for the scheduled frame and then apply as one store transaction', () => {
    const doc = seededDoc()
    const store = makeStore()
    const frames: (() => void)[] = []
    bindStoreToDoc(store, doc, { scheduleRemoteApply: (fn) => frames.push(fn) })
    const batches: number[] = []
    store.listen(({ changes }) => batches.push(Object.keys(changes.added).length + Object.keys(changes.updated).length), { source: 'remote' })
    for (let i = 0; i < 50; i++) {
      doc.transact(() => doc.getMap(DocLayout.records).set(`shape:f${i % 5}`, note(`shape:f${i % 5}`, i, `v${i}`)), 'network')
    }
    expect(store.has('shape:f0' as TLRecord['id'])).toBe(false)
    expect(frames).toHaveLength(1)
    frames.shift()!()
    expect(batches).toEqual([5])
    expect(store.get('shape:f4' as TLRecord['id'])).toMatchObject({ x: 49 })
    // A delete after a put in the same frame wins.
    doc.transact(() => doc.getMap(DocLayout.records).delete('shape:f0'), 'network')
    frames.shift()!()
    expect(store.has('shape:f0' as TLRecord['id'])).toBe(false)
  })

  it('BRG-6 a remote move keeps the props and meta objects of the note (tldraw caches by identity)', () => {
    const doc = seededDoc()
    doc.getMap(DocLayout.records).set('shape:m', note('shape:m', 1, 'same text'))
    const { store } = peer(doc)
    const before = store.get('shape:m' as TLRecord['id']) as unknown as { props: object; meta: object }
    doc.transact(() => doc.getMap(DocLayout.records).set('shape:m', note('shape:m', 500, 'same text')), 'network')
    const after = store.get('shape:m' as TLRecord['id']) as unknown as { x: number; props: object; meta: object }
    expect(after.x).toBe(500)
    expect(after.props).toBe(before.props)
    expect(after.meta).toBe(before.meta)
    doc.transact(() => doc.getMap(DocLayout.records).set('shape:m', note('shape:m', 500, 'new text')), 'network')
    const edited = store.get('shape:m' as TLRecord['id']) as unknown as { props: object; meta: object }
    expect(edited.props).not.toBe(before.props)
    expect(edited.meta).toBe(before.meta)
  })

  it('BRG-3 converges under shuffled delivery (seeded) with three peers', () => {
    for (const seed of [1, 2, 3, 42]) {
      const base = seededDoc()
      const docs = [base, new Y.Doc(), new Y.Doc()]
      for (const d of docs.slice(1)) Y.applyUpdate(d, Y.encodeStateAsUpdate(base))
      const net = new MemoryNetwork(docs)
      const peers = docs.map(peer)
      for (let i = 0; i < 30; i++) {
        const p = peers[(i * 7 + seed) % 3]
        const id = `shape:s${i % 8}` as TLRecord['id']
        if (i % 5 === 4 && p.store.has(id)) p.store.remove([id])
        else p.store.put([note(id, i * 10 + seed, `edit ${i}`)])
        if (i % 4 === 0) net.flush(seed + i)
      }
      net.flush(seed)
      const snap = (s: (typeof peers)[0]['store']) =>
        JSON.stringify(s.allRecords().filter((r) => r.typeName === 'shape').sort((x, y) => x.id.localeCompare(y.id)))
      expect(snap(peers[1].store)).toBe(snap(peers[0].store))
      expect(snap(peers[2].store)).toBe(snap(peers[0].store))
      for (const p of peers) p.bridge.dispose()
    }
  })

  it('BRG-7 while this person may not write, nothing reaches the doc (not even the schema) and local changes are undone', async () => {
    const doc = seededDoc()
    doc.getMap(DocLayout.records).set('shape:n', note('shape:n', 5, 'hello'))
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    let writable = false
    const store = makeStore()
    const bridge = bindStoreToDoc(store, doc, { mayWrite: () => writable })
    expect(doc.getMap(DocLayout.meta).has(DocLayout.schemaKey)).toBe(false)
    userPut(store, note('shape:new', 1, 'a viewer tries'))
    store.update('shape:n' as TLRecord['id'], (r) => ({ ...r, x: 500 }) as TLRecord)
    await new Promise((r) => setTimeout(r, 0))
    expect(updates).toHaveLength(0)
    expect(store.has('shape:new' as TLRecord['id'])).toBe(false)
    expect(store.get('shape:n' as TLRecord['id'])).toMatchObject({ x: 5 })
    store.remove(['shape:n' as TLRecord['id']])
    await new Promise((r) => setTimeout(r, 0))
    expect(store.get('shape:n' as TLRecord['id'])).toMatchObject({ x: 5 })
    expect(updates).toHaveLength(0)
    // Positive control: once allowed (the facilitator unlocked the board), changes are written.
    writable = true
    userPut(store, note('shape:later', 2, 'allowed'))
    expect(doc.getMap(DocLayout.records).get('shape:later')).toMatchObject({ x: 2 })
    bridge.dispose()
  })
})

// ---- BRG-8 / PRIV-1..2: private notes (silent ideas) -------------------------------------------

class MemoryStorage implements NoteStorage {
  map = new Map<string, string>()
  get length() {
    return this.map.size
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null
  }
  getItem(k: string) {
    return this.map.get(k) ?? null
  }
  setItem(k: string, v: string) {
    this.map.set(k, v)
  }
  removeItem(k: string) {
    this.map.delete(k)
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

/** A client whose bridge keeps private notes local, with a controllable session and connection. */
function privatePeer(doc: Y.Doc, storage: MemoryStorage, mode: PrivateModeState | null = null, personId = 'p1') {
  const state = {
    mode,
    online: true,
    mayWrite: true,
    announced: [] as (PrivateNotesPresence | null)[],
  }
  const store = makeStore()
  const notes = createPrivateNotes({
    store,
    storage,
    boardId: 'board1',
    personId,
    mode: () => state.mode,
    conditions: () => ({ synced: true, online: state.online, mayWrite: state.mayWrite }),
    announce: (p) => state.announced.push(p),
  })
  const bridge = bindStoreToDoc(store, doc, { local: notes.local, mayWrite: () => state.mayWrite })
  notes.attach(bridge)
  return { store, doc, bridge, notes, state }
}

const on = (round: string): PrivateModeState => ({ status: 'on', round, since: 1 })
const textOf = (r: unknown) => JSON.stringify((r as { props: { richText: unknown } }).props.richText)

describe('private notes through the bridge (BRG-8, PRIV-1..2)', () => {
  it('BRG-8 a private note, its edits and moves never reach the Y.Doc nor another peer; deleting it empties storage', async () => {
    const base = seededDoc()
    const otherDoc = new Y.Doc()
    Y.applyUpdate(otherDoc, Y.encodeStateAsUpdate(base))
    const net = new MemoryNetwork([base, otherDoc])
    const storage = new MemoryStorage()
    const me = privatePeer(base, storage)
    const other = peer(otherDoc)
    me.state.mode = on('round-a')
    const updates: Uint8Array[] = []
    base.on('update', (u: Uint8Array, origin: unknown) => origin !== net && updates.push(u))
    const transactions: unknown[] = []
    base.on('afterTransaction', (tr: Y.Transaction) => tr.origin !== net && transactions.push(tr.origin))

    userPut(me.store, note('shape:secret', 10, 'SECRET-IDEA'))
    me.store.update('shape:secret' as TLRecord['id'], (r) => ({ ...r, x: 300 }) as TLRecord)
    userPut(me.store, note('shape:secret', 300, 'SECRET-IDEA edited'))
    await tick()
    net.flush()
    expect(updates).toHaveLength(0)
    expect(transactions).toHaveLength(0)
    expect(base.getMap(DocLayout.records).has('shape:secret')).toBe(false)
    expect(other.store.has('shape:secret' as TLRecord['id'])).toBe(false)
    expect(new TextDecoder().decode(Y.encodeStateAsUpdate(otherDoc))).not.toContain('SECRET')
    expect(me.store.get('shape:secret' as TLRecord['id'])).toMatchObject({ x: 300 })
    const key = privateStorageKey('board1', 'p1', 'round-a')
    expect(storage.getItem(key)).toContain('SECRET-IDEA edited')
    expect(me.state.announced.at(-1)).toEqual({ round: 'round-a', count: 1 })

    // A note that was on the board before the round still syncs (only new notes stay private).
    base.transact(() => base.getMap(DocLayout.records).set('shape:old', note('shape:old', 1, 'old')), 'network')
    me.store.update('shape:old' as TLRecord['id'], (r) => ({ ...r, x: 42 }) as TLRecord)
    expect(base.getMap(DocLayout.records).get('shape:old')).toMatchObject({ x: 42 })
    updates.length = 0

    me.store.remove(['shape:secret' as TLRecord['id']])
    await tick()
    expect(storage.getItem(key)).toBeNull()
    expect(me.state.announced.at(-1)).toBeNull()
    expect(updates).toHaveLength(0)
  })

  it('PRIV-2 reveal publishes the notes exactly once, through the bridge, with their meta; storage and count are cleared', async () => {
    const base = seededDoc()
    const otherDoc = new Y.Doc()
    Y.applyUpdate(otherDoc, Y.encodeStateAsUpdate(base))
    const net = new MemoryNetwork([base, otherDoc])
    const storage = new MemoryStorage()
    const me = privatePeer(base, storage)
    const other = peer(otherDoc)
    me.state.mode = on('round-a')
    const attributed = { ...note('shape:idea', 5, 'IDEA-ONE'), meta: { arvo: { kind: 'note', authorId: 'p1', authorName: 'Pia', side: 'customer' } } } as unknown as TLRecord
    userPut(me.store, attributed)
    userPut(me.store, note('shape:idea2', 6, 'IDEA-TWO', 'a2'))
    await tick()
    const origins: unknown[] = []
    base.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin))
    me.notes.evaluate() // still on: nothing
    expect(origins).toHaveLength(0)

    me.state.mode = { ...on('round-a'), status: 'revealed' }
    me.notes.evaluate()
    me.notes.evaluate()
    expect(origins).toEqual([BRIDGE_ORIGIN])
    expect(base.getMap(DocLayout.records).get('shape:idea')).toMatchObject({ meta: { arvo: { authorId: 'p1', side: 'customer' } } })
    net.flush()
    expect(textOf(other.store.get('shape:idea2' as TLRecord['id']))).toContain('IDEA-TWO')
    expect(storage.length).toBe(0)
    expect(me.state.announced.at(-1)).toBeNull()
    expect(me.notes.ids().size).toBe(0)
    // After publishing it is an ordinary note: an edit syncs.
    me.store.update('shape:idea' as TLRecord['id'], (r) => ({ ...r, x: 77 }) as TLRecord)
    expect(base.getMap(DocLayout.records).get('shape:idea')).toMatchObject({ x: 77 })
  })

  it('PRIV-1 a reload keeps the private notes (back in the store, still not in the doc) and a later reveal publishes them once', async () => {
    const doc = seededDoc()
    const storage = new MemoryStorage()
    const first = privatePeer(doc, storage)
    first.state.mode = on('round-a')
    userPut(first.store, note('shape:kept', 9, 'KEPT-IDEA'))
    await tick()
    first.bridge.dispose()
    first.notes.dispose()

    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    const storageBefore = [...storage.map.entries()]
    const second = privatePeer(doc, new MemoryStorage(), on('round-a'))
    expect(second.store.has('shape:kept' as TLRecord['id'])).toBe(false) // other person's storage: nothing
    const reloaded = privatePeer(doc, Object.assign(new MemoryStorage(), { map: new Map(storageBefore) }), on('round-a'))
    reloaded.notes.evaluate()
    expect(textOf(reloaded.store.get('shape:kept' as TLRecord['id']))).toContain('KEPT-IDEA')
    expect(reloaded.notes.ids().has('shape:kept')).toBe(true)
    expect(updates).toHaveLength(0)
    // The held round ended (another round started while away): published on the next evaluation.
    reloaded.state.mode = on('round-b')
    reloaded.notes.evaluate()
    reloaded.notes.evaluate()
    expect(updates).toHaveLength(1)
    expect(doc.getMap(DocLayout.records).has('shape:kept')).toBe(true)
    // New notes now belong to round b.
    userPut(reloaded.store, note('shape:b1', 1, 'B'))
    await tick()
    expect(reloaded.notes.counts()).toEqual({ 'round-b': 1 })
    expect(updates).toHaveLength(1)
  })

  it('PRIV-2 a refused publish (board locked, offline) waits and is retried when allowed; a stored note already in the doc is not republished', async () => {
    const doc = seededDoc()
    const storage = new MemoryStorage()
    const me = privatePeer(doc, storage)
    me.state.mode = on('r1')
    userPut(me.store, note('shape:w', 1, 'WAITING'))
    await tick()
    me.state.mode = null // the facilitator removed private mode
    me.state.mayWrite = false
    me.notes.evaluate()
    me.state.mayWrite = true
    me.state.online = false
    me.notes.evaluate()
    expect(doc.getMap(DocLayout.records).has('shape:w')).toBe(false)
    expect(storage.length).toBe(1)
    me.state.online = true
    me.notes.evaluate()
    expect(doc.getMap(DocLayout.records).has('shape:w')).toBe(true)
    expect(storage.length).toBe(0)

    // Storage that still holds a note the doc already has (cleared too late): never published twice.
    storage.setItem(privateStorageKey('board1', 'p1', 'r1'), JSON.stringify({ v: 1, schema: me.store.schema.serialize(), records: [me.store.get('shape:w' as TLRecord['id'])] }))
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    const again = privatePeer(doc, storage)
    again.notes.evaluate()
    expect(updates).toHaveLength(0)
    expect(again.notes.ids().size).toBe(0)
    expect(storage.length).toBe(0)
  })
})

describe('publish triggers (PRIV-2, pure)', () => {
  const conditions = { synced: true, online: true, mayWrite: true }
  it('publishes every held round but the one that is on; nothing before sync, offline or while locked', () => {
    expect(privateRoundNow(on('a'))).toBe('a')
    expect(privateRoundNow({ ...on('a'), status: 'revealed' })).toBeNull()
    expect(privateRoundNow(null)).toBeNull()
    expect(roundsDue(['a'], on('a'))).toEqual([])
    expect(roundsDue(['a'], { ...on('a'), status: 'revealed' })).toEqual(['a'])
    expect(roundsDue(['a'], null)).toEqual(['a'])
    expect(roundsDue(['a', 'b', 'a'], on('b'))).toEqual(['a'])
    expect(roundsDue([], null)).toEqual([])
    expect(roundsToPublishNow(['a'], null, conditions)).toEqual(['a'])
    expect(roundsToPublishNow(['a'], null, { ...conditions, synced: false })).toEqual([])
    expect(roundsToPublishNow(['a'], null, { ...conditions, online: false })).toEqual([])
    expect(roundsToPublishNow(['a'], null, { ...conditions, mayWrite: false })).toEqual([])
  })
})
