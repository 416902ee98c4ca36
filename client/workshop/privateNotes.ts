/**
 * Silent ideas on this device (PRIV-1..3 in client/SPEC.md), framework-free: the bridge's
 * `LocalRecords` for the rounds of `session.privateMode`. While a round is on, a note this
 * person creates (and whatever hangs on it: an arrow's binding, a child shape) is kept in the
 * tldraw store only — never in the Y.Doc, so never on the websocket — and in browser storage
 * under `arvo.private.<board>.<person>.<round>` so a reload keeps it. Awareness carries only
 * `privateNotes: { round, count }`. When `privateTriggers.ts` says so, the notes of a round are
 * published once through the bridge (`Bridge.publish`: the normal write path, so the server
 * attributes them), then storage and the awareness count are cleared.
 */
import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord, TLStore } from '@tldraw/tlschema'
import type { PrivateModeState, PrivateNotesPresence } from '../../shared/facilitation/index.ts'
import type { Bridge, LocalRecords } from '../sync/bridge.ts'
import { privateRoundNow, roundsToPublishNow, type PublishConditions } from './privateTriggers.ts'

/** The part of `Storage` this module uses (`localStorage`, or a fake in tests). */
export type NoteStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>

export const PRIVATE_STORAGE_PREFIX = 'arvo.private.'

/** The storage key of one round's private notes. */
export function privateStorageKey(boardId: string, personId: string, round: string): string {
  return `${PRIVATE_STORAGE_PREFIX}${boardId}.${personId}.${round}`
}

interface Stored {
  v: 1
  schema: SerializedSchema
  records: TLRecord[]
}

export interface PrivateNotesOptions {
  store: TLStore
  storage: NoteStorage | null
  boardId: string
  personId: string
  /** The facilitator's `session.privateMode` as last read. */
  mode(): PrivateModeState | null
  /** Whether a publish may happen now (synced, online, allowed to write). */
  conditions(): PublishConditions
  /** Sets (or clears, null) this person's awareness field `privateNotes`. */
  announce(presence: PrivateNotesPresence | null): void
  /** A stored record that could not be read back (skipped). */
  onInvalid?(id: string, reason: string): void
}

export interface PrivateNotes {
  /** For `bindStoreToDoc(…, { local })`. */
  readonly local: LocalRecords
  /** Binds the bridge, puts the stored notes back into the store, then `evaluate()`s. */
  attach(bridge: Pick<Bridge, 'publish'>): void
  /** Publishes every round that is due now (PRIV-2); call on session, connection or lock changes. */
  evaluate(): void
  /** Ids of the private records (notes and what hangs on them). */
  ids(): ReadonlySet<string>
  /** Private note count per held round. */
  counts(): Record<string, number>
  /** Called after every change of `ids()`. */
  subscribe(listener: () => void): () => void
  dispose(): void
}

const isNote = (r: TLRecord) => r.typeName === 'shape' && (r as { type?: string }).type === 'note'

export function createPrivateNotes(o: PrivateNotesOptions): PrivateNotes {
  const { store, storage } = o
  /** id -> round. */
  const held = new Map<string, string>()
  const listeners = new Set<() => void>()
  let bridge: Pick<Bridge, 'publish'> | null = null
  let disposed = false
  const dirty = new Set<string>()
  let saveQueued = false
  let lastAnnounced = ''

  const rounds = () => [...new Set(held.values())]

  const announce = () => {
    const counts: Record<string, number> = {}
    for (const [id, round] of held) {
      const r = store.get(id as TLRecord['id'])
      if (r && isNote(r)) counts[round] = (counts[round] ?? 0) + 1
    }
    const now = privateRoundNow(o.mode())
    const round = now !== null && counts[now] ? now : Object.keys(counts)[0]
    const value: PrivateNotesPresence | null = round ? { round, count: counts[round] } : null
    const key = JSON.stringify(value)
    if (key !== lastAnnounced) {
      lastAnnounced = key
      o.announce(value)
    }
  }

  const changed = () => {
    announce()
    for (const l of listeners) l()
  }

  const saveRound = (round: string) => {
    if (!storage) return
    const key = privateStorageKey(o.boardId, o.personId, round)
    const records: TLRecord[] = []
    for (const [id, r] of held) {
      if (r !== round) continue
      const rec = store.get(id as TLRecord['id'])
      if (rec) records.push(rec)
    }
    try {
      if (records.length === 0) storage.removeItem(key)
      else storage.setItem(key, JSON.stringify({ v: 1, schema: store.schema.serialize(), records } satisfies Stored))
    } catch (e) {
      // Full or blocked storage: the notes stay private for this visit, only not kept on reload.
      console.warn('[arvo] private notes not saved', e)
    }
  }

  const queueSave = (round: string) => {
    dirty.add(round)
    if (saveQueued) return
    saveQueued = true
    queueMicrotask(() => {
      saveQueued = false
      if (disposed) return
      for (const r of dirty) saveRound(r)
      dirty.clear()
    })
  }

  const hold = (id: string, round: string) => {
    held.set(id, round)
    queueSave(round)
  }

  /** The round a new record joins: a note while a round is on; anything attached to a held record. */
  const roundFor = (r: TLRecord): string | null => {
    if (r.typeName === 'binding') {
      const b = r as unknown as { fromId: string; toId: string }
      return held.get(b.fromId) ?? held.get(b.toId) ?? null
    }
    if (r.typeName === 'shape') {
      const parent = held.get((r as { parentId?: string }).parentId ?? '')
      if (parent) return parent
      if (isNote(r)) return privateRoundNow(o.mode())
    }
    return null
  }

  const local: LocalRecords = {
    claim(record) {
      if (disposed) return false
      const round = roundFor(record)
      if (round === null) return false
      hold(record.id, round)
      queueMicrotask(changed)
      return true
    },
    has: (id) => held.has(id),
    update(record) {
      const round = held.get(record.id)
      if (round) queueSave(round)
    },
    remove(id) {
      const round = held.get(id)
      if (!round) return
      held.delete(id)
      queueSave(round)
      queueMicrotask(changed)
    },
  }

  /** Reads the stored rounds back into the store (PRIV-1: a reload keeps them). */
  const load = () => {
    if (!storage) return
    const prefix = privateStorageKey(o.boardId, o.personId, '')
    const keys: string[] = []
    for (let i = 0; i < storage.length; i++) {
      const k = storage.key(i)
      if (k?.startsWith(prefix)) keys.push(k)
    }
    const ourSchema = store.schema.serialize()
    const puts: TLRecord[] = []
    for (const key of keys) {
      const round = key.slice(prefix.length)
      let stored: Stored | null = null
      try {
        stored = JSON.parse(storage.getItem(key) ?? 'null') as Stored | null
      } catch {
        stored = null
      }
      if (!stored || stored.v !== 1 || !Array.isArray(stored.records)) {
        o.onInvalid?.(key, 'unreadable private notes')
        continue
      }
      const sameSchema = JSON.stringify(stored.schema) === JSON.stringify(ourSchema)
      for (const raw of stored.records) {
        const id = (raw as { id?: string })?.id ?? '?'
        // Already in the board (published before storage was cleared): never again.
        if (store.has(id as TLRecord['id'])) continue
        let record = raw
        if (!sameSchema) {
          const m = store.schema.migratePersistedRecord(raw, stored.schema, 'up')
          if (m.type === 'error') {
            o.onInvalid?.(id, `cannot migrate: ${m.reason}`)
            continue
          }
          record = m.value as TLRecord
        }
        try {
          puts.push(store.schema.validateRecord(store, record, 'initialize', null))
          held.set(id, round)
        } catch (e) {
          o.onInvalid?.(id, (e as Error).message.split('\n')[0])
        }
      }
      dirty.add(round)
    }
    // Not a user change: the bridge does not see it (the records are already held).
    if (puts.length > 0) {
      store.mergeRemoteChanges(() => {
        // Shapes before the bindings that point at them.
        store.put(puts.filter((r) => r.typeName !== 'binding'))
        store.put(puts.filter((r) => r.typeName === 'binding'))
      })
    }
    for (const r of dirty) saveRound(r)
    dirty.clear()
  }

  const publishRound = (round: string): boolean => {
    if (!bridge) return false
    const ids = [...held].filter(([, r]) => r === round).map(([id]) => id)
    const byKind = (binding: boolean) => ids.filter((id) => (store.get(id as TLRecord['id'])?.typeName === 'binding') === binding)
    if (!bridge.publish([...byKind(false), ...byKind(true)])) return false
    for (const id of ids) held.delete(id)
    dirty.delete(round)
    if (storage) {
      try {
        storage.removeItem(privateStorageKey(o.boardId, o.personId, round))
      } catch {
        // best effort
      }
    }
    return true
  }

  const evaluate = () => {
    if (disposed || !bridge) return
    let any = false
    for (const round of roundsToPublishNow(rounds(), o.mode(), o.conditions())) {
      if (publishRound(round)) any = true
    }
    if (any) changed()
    else announce()
  }

  return {
    local,
    attach(b) {
      bridge = b
      load()
      changed()
      evaluate()
    },
    evaluate,
    ids: () => new Set(held.keys()),
    counts() {
      const out: Record<string, number> = {}
      for (const [id, round] of held) {
        const r = store.get(id as TLRecord['id'])
        if (r && isNote(r)) out[round] = (out[round] ?? 0) + 1
      }
      return out
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    dispose() {
      for (const r of dirty) saveRound(r)
      dirty.clear()
      disposed = true
      listeners.clear()
    },
  }
}
