import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { DocLayout } from '../../shared/protocol.ts'
import { makeStore, note } from '../test/storeFixtures.ts'
import { createBoardSnapshotSource } from './source.ts'

describe('INS-C1 board snapshot source (throttled)', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function setup() {
    const store = makeStore()
    const doc = new Y.Doc()
    const meta = doc.getMap<unknown>(DocLayout.meta)
    const source = createBoardSnapshotSource(store, meta, { throttleMs: 250 })
    const seen: number[] = []
    source.subscribe(() => seen.push(source.getSnapshot().shapes.length))
    return { store, meta, source, seen }
  }

  it('starts with the current shapes and edit counts', () => {
    const store = makeStore()
    store.put([note('shape:a', 0, 'a')])
    const doc = new Y.Doc()
    doc.getMap(DocLayout.meta).set('edits:u1', { authorId: 'u1', authorName: 'U', side: 'customer', edits: 3 })
    const source = createBoardSnapshotSource(store, doc.getMap(DocLayout.meta))
    expect(source.getSnapshot().shapes.map((s) => s.id)).toEqual(['shape:a'])
    expect(source.getSnapshot().edits).toEqual([{ authorId: 'u1', authorName: 'U', side: 'customer', edits: 3 }])
    source.dispose()
  })

  it('tells listeners at most once per interval, with the latest state', () => {
    const { store, source, seen } = setup()
    store.put([note('shape:a', 0, 'a')])
    vi.advanceTimersByTime(0)
    expect(seen).toEqual([1])
    for (let i = 0; i < 20; i++) store.put([note(`shape:b${i}`, i, 'b')])
    vi.advanceTimersByTime(100)
    expect(seen).toEqual([1])
    vi.advanceTimersByTime(150)
    expect(seen).toEqual([1, 21])
    const snap = source.getSnapshot()
    vi.advanceTimersByTime(1000)
    expect(source.getSnapshot()).toBe(snap)
    source.dispose()
  })

  it('follows the server-written edit counts in meta, ignoring other meta keys', () => {
    const { meta, source } = setup()
    meta.set('schema', { schemaVersion: 2, sequences: {} })
    vi.advanceTimersByTime(1000)
    expect(source.getSnapshot().version).toBe(0)
    meta.set('edits:u2', { authorId: 'u2', authorName: 'P', side: 'provider', edits: 1 })
    vi.advanceTimersByTime(0)
    expect(source.getSnapshot().edits).toHaveLength(1)
    source.dispose()
  })

  it('slows down when the consumers’ work is heavy (a huge board), within a cap', () => {
    const { store, source, seen } = setup()
    store.put([note('shape:a', 0, 'a')])
    vi.advanceTimersByTime(0)
    source.reportWork(80)
    store.put([note('shape:b', 0, 'b')])
    vi.advanceTimersByTime(700)
    expect(seen).toEqual([1])
    vi.advanceTimersByTime(100)
    expect(seen).toEqual([1, 2])
    source.reportWork(10_000)
    store.put([note('shape:c', 0, 'c')])
    vi.advanceTimersByTime(1999)
    expect(seen).toEqual([1, 2])
    vi.advanceTimersByTime(1)
    expect(seen).toEqual([1, 2, 3])
    source.reportWork(1)
    store.put([note('shape:d', 0, 'd')])
    vi.advanceTimersByTime(250)
    expect(seen).toEqual([1, 2, 3, 4])
    source.dispose()
  })

  it('flush() skips the throttle; dispose() stops everything', () => {
    const { store, source, seen } = setup()
    store.put([note('shape:a', 0, 'a')])
    source.flush()
    expect(seen).toEqual([1])
    source.dispose()
    store.put([note('shape:c', 0, 'c')])
    vi.advanceTimersByTime(1000)
    expect(seen).toEqual([1])
  })
})
