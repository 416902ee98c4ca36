import { atom } from '@tldraw/state'
import { Store } from '@tldraw/store'
import { createTLSchema, type TLRecord, type TLStore, type TLStoreProps } from '@tldraw/tlschema'
import * as Y from 'yjs'

/** A tldraw store built from @tldraw/tlschema alone (no editor, no DOM) for bridge tests. */
export function makeStore(): TLStore {
  const props: TLStoreProps = {
    defaultName: '',
    assets: { upload: async () => ({ src: '' }), resolve: () => null, remove: async () => {} },
    users: { currentUser: atom('user', null), resolve: () => atom('u', null) },
    onMount: () => {},
    collaboration: undefined,
  } as unknown as TLStoreProps
  return new Store({ schema: createTLSchema(), props }) as unknown as TLStore
}

/**
 * A deterministic in-memory network between Y.Docs: updates queue up until `flush()`
 * delivers them (in order, or shuffled with a seeded random source).
 */
export class MemoryNetwork {
  private queues = new Map<Y.Doc, Uint8Array[]>()
  constructor(readonly docs: Y.Doc[]) {
    for (const d of docs) {
      this.queues.set(d, [])
      d.on('update', (u: Uint8Array, origin: unknown) => {
        if (origin !== this) this.queues.get(d)!.push(u)
      })
    }
  }
  /** Delivers every queued update to every other doc; `seed` shuffles the delivery order. */
  flush(seed?: number): void {
    let s = seed ?? 0
    const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff), s / 0x7fffffff)
    for (let round = 0; round < 10; round++) {
      const pending = [...this.queues.entries()].flatMap(([from, q]) => q.splice(0).map((u) => ({ from, u })))
      if (pending.length === 0) return
      if (seed !== undefined) pending.sort(() => rand() - 0.5)
      for (const { from, u } of pending) for (const d of this.docs) if (d !== from) Y.applyUpdate(d, u, this)
    }
  }
}

/** A full, valid note record. */
export function note(id: string, x: number, text: string, index = 'a1'): TLRecord {
  return {
    id,
    typeName: 'shape',
    type: 'note',
    x,
    y: 0,
    rotation: 0,
    index,
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: {},
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
  } as unknown as TLRecord
}

export const page = { id: 'page:page', typeName: 'page', name: 'Page 1', index: 'a1', meta: {} } as unknown as TLRecord
export const documentRecord = {
  id: 'document:document',
  typeName: 'document',
  gridSize: 10,
  name: '',
  meta: {},
} as unknown as TLRecord
