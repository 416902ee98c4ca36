import type { TLRecord } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DocLayout } from '../../shared/protocol.ts'
import { documentRecord, makeStore, MemoryNetwork, note, page } from '../test/storeFixtures.ts'
import { BRIDGE_ORIGIN, bindStoreToDoc } from './bridge.ts'

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
