import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord, TLStore } from '@tldraw/tlschema'
import * as Y from 'yjs'
import { DocLayout } from '../../shared/protocol.ts'

/** Yjs transaction origin of every write the bridge makes (so it never re-applies its own writes). */
export const BRIDGE_ORIGIN = Symbol('arvo:bridge')

/** Records per Yjs transaction at most (~400 bytes each: well under the 1 MiB frame limit). */
export const MAX_RECORDS_PER_TRANSACTION = 1000

export interface BridgeOptions {
  /** Called for every record from the doc that could not be migrated or validated (it is skipped). */
  onInvalidRecord?(id: string, reason: string): void
  /**
   * Schedules the application of buffered remote changes. Default: the next animation frame in
   * a browser (so a burst of remote updates costs one store transaction and one render per
   * frame), synchronously where there is no `requestAnimationFrame` (Node, tests).
   */
  scheduleRemoteApply?(apply: () => void): void
  /**
   * Whether this person may write the board now (BRG-7): false for a viewer, and for a
   * participant while the board is locked. While false nothing is written to the doc (not even
   * the schema on bind) and local changes are undone in the store. Default: always.
   */
  mayWrite?(): boolean
  /**
   * Records that stay in this store only (BRG-8, silent ideas): a local user change of a record
   * it holds (or claims, when just added) is handed to it instead of the doc — no Yjs
   * transaction, nothing on the websocket. `Bridge.publish` writes such records later.
   */
  local?: LocalRecords
}

/** What keeps some records of the store out of the doc (see `BridgeOptions.local`). */
export interface LocalRecords {
  /** A record the user just added: true keeps it local (never written to the doc). */
  claim(record: TLRecord): boolean
  /** Whether `id` is a record held locally. */
  has(id: string): boolean
  /** A local record changed (edit, move). */
  update(record: TLRecord): void
  /** A local record was deleted. */
  remove(id: string): void
}

const defaultSchedule = (apply: () => void) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => apply())
  else apply()
}

export interface Bridge {
  /** Number of records skipped as invalid since binding. */
  readonly skipped: number
  /**
   * Writes the store's current version of `ids` into the doc as one local user change would
   * (one Yjs transaction per MAX_RECORDS_PER_TRANSACTION records, origin `BRIDGE_ORIGIN`), so the
   * server stores, attributes and relays them as usual. False (nothing written) while this
   * person may not write (BRG-7); ids not in the store are skipped.
   */
  publish(ids: readonly string[]): boolean
  /** Stops syncing in both directions. */
  dispose(): void
}

/** Structural equality of plain JSON values. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  for (const k of ka) if (!jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false
  return true
}

/**
 * Returns `next` with every top-level value that is structurally equal to `prev`'s taken from
 * `prev` (so a remote move keeps the same `props` and `meta` objects). tldraw caches text
 * layout and rich-text HTML by object identity: without this, every remote move of a note
 * would re-measure its text.
 */
export function shareStructure<T extends object>(prev: T | undefined, next: T): T {
  if (!prev) return next
  let out: Record<string, unknown> | null = null
  for (const [k, v] of Object.entries(next)) {
    const old = (prev as Record<string, unknown>)[k]
    if (old !== v && typeof v === 'object' && v !== null && jsonEqual(old, v)) {
      out ??= { ...(next as Record<string, unknown>) }
      out[k] = old
    }
  }
  return (out as T | null) ?? next
}

function sameSchema(a: SerializedSchema, b: SerializedSchema): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * Binds a tldraw store to a Y.Doc laid out as in shared/protocol.ts (`records` map of plain
 * JSON records, `meta.schema`). Framework-free; rules BRG-1..BRG-5 in client/SPEC.md:
 * - BRG-1 loads every valid record of the doc into the store (migrating from the doc's schema);
 * - BRG-2 each local user change of document records becomes one Yjs transaction (split
 *   only beyond MAX_RECORDS_PER_TRANSACTION records);
 * - BRG-3 remote Yjs transactions are buffered and applied in one `mergeRemoteChanges` store
 *   transaction per animation frame (a remote batch of any size included);
 * - BRG-4 no echo: the bridge ignores its own Yjs writes and the store's remote changes;
 * - BRG-5 a record that fails migration or validation is skipped and reported, never applied;
 * - BRG-8 records `options.local` holds stay out of the doc until `publish`ed.
 */
export function bindStoreToDoc(store: TLStore, doc: Y.Doc, options: BridgeOptions = {}): Bridge {
  const records = doc.getMap<unknown>(DocLayout.records)
  const meta = doc.getMap<unknown>(DocLayout.meta)
  const ourSchema = store.schema.serialize()
  const schedule = options.scheduleRemoteApply ?? defaultSchedule
  const mayWrite = options.mayWrite ?? (() => true)
  let skipped = 0
  let disposed = false
  // The doc's schema object only changes when someone writes meta.schema: compare once per object.
  let checkedSchema: unknown = undefined
  let docSchemaIsOurs = false
  const docSchemaDiffers = (docSchema: SerializedSchema | undefined) => {
    if (docSchema !== checkedSchema) {
      checkedSchema = docSchema
      docSchemaIsOurs = !docSchema || sameSchema(docSchema, ourSchema)
    }
    return !docSchemaIsOurs
  }

  const report = (id: string, reason: string) => {
    skipped++
    options.onInvalidRecord?.(id, reason)
  }

  /** Migrates (when the doc was written by an older schema) and validates one doc value. */
  const fromDoc = (id: string, value: unknown): TLRecord | null => {
    if (typeof value !== 'object' || value === null || (value as { id?: unknown }).id !== id) {
      report(id, 'not a record with a matching id')
      return null
    }
    let record = value as TLRecord
    const docSchema = meta.get(DocLayout.schemaKey) as SerializedSchema | undefined
    if (docSchema && docSchemaDiffers(docSchema)) {
      const migrated = store.schema.migratePersistedRecord(record, docSchema, 'up')
      if (migrated.type === 'error') {
        report(id, `cannot migrate: ${migrated.reason}`)
        return null
      }
      record = migrated.value as TLRecord
    }
    const type = store.schema.types[record.typeName as TLRecord['typeName']]
    if (!type || type.scope !== 'document') {
      report(id, `typeName ${JSON.stringify(record.typeName)} is not a document record`)
      return null
    }
    try {
      return store.schema.validateRecord(store, record, 'initialize', null)
    } catch (e) {
      report(id, (e as Error).message.split('\n')[0])
      return null
    }
  }

  // BRG-1: initial load.
  const initial: TLRecord[] = []
  records.forEach((value, id) => {
    const r = fromDoc(id, value)
    if (r) initial.push(r)
  })
  store.mergeRemoteChanges(() => {
    if (initial.length > 0) store.put(initial)
  })
  // Write our schema (and migrated records) back when the doc is new or older.
  const docSchema = meta.get(DocLayout.schemaKey) as SerializedSchema | undefined
  if (mayWrite() && (!docSchema || !sameSchema(docSchema, ourSchema))) {
    const migratedOk = !docSchema || store.schema.getMigrationsSince(docSchema).ok
    if (migratedOk) {
      doc.transact(() => {
        if (docSchema) for (const r of initial) records.set(r.id, r)
        meta.set(DocLayout.schemaKey, ourSchema)
      }, BRIDGE_ORIGIN)
    }
  }

  // BRG-3: remote Yjs transactions -> buffered keys -> one store transaction per frame.
  const pendingKeys = new Set<string>()
  let scheduled = false
  const applyRemote = () => {
    scheduled = false
    if (disposed || pendingKeys.size === 0) return
    const puts: TLRecord[] = []
    const removes: TLRecord['id'][] = []
    for (const id of pendingKeys) {
      const value = records.get(id)
      if (value === undefined) {
        if (store.has(id as TLRecord['id'])) removes.push(id as TLRecord['id'])
      } else {
        const r = fromDoc(id, value)
        if (r) puts.push(shareStructure(store.get(r.id), r))
      }
    }
    pendingKeys.clear()
    if (puts.length === 0 && removes.length === 0) return
    store.mergeRemoteChanges(() => {
      if (removes.length > 0) store.remove(removes)
      if (puts.length > 0) store.put(puts)
    })
  }
  const onDocChange = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
    if (tr.origin === BRIDGE_ORIGIN) return
    for (const id of event.keysChanged) pendingKeys.add(id)
    if (!scheduled) {
      scheduled = true
      schedule(applyRemote)
    }
  }
  records.observe(onDocChange)

  const write = (writes: readonly [string, TLRecord | null][]) => {
    for (let i = 0; i < writes.length; i += MAX_RECORDS_PER_TRANSACTION) {
      doc.transact(() => {
        for (const [id, r] of writes.slice(i, i + MAX_RECORDS_PER_TRANSACTION)) {
          if (r) records.set(id, r)
          else records.delete(id)
        }
      }, BRIDGE_ORIGIN)
    }
  }

  // BRG-2: local user change -> one Yjs transaction (a huge change, e.g. pasting thousands of
  // shapes, is split into transactions of MAX_RECORDS_PER_TRANSACTION so that no single
  // websocket frame outgrows the server's frame limit).
  const unlisten = store.listen(
    ({ changes }) => {
      if (!mayWrite()) {
        // BRG-7: not written; the store goes back to what the doc says (as a remote change, so
        // this listener does not see it).
        const restore = [...Object.values(changes.updated).map(([from]) => from), ...Object.values(changes.removed)]
        const drop = Object.values(changes.added).map((r) => r.id)
        queueMicrotask(() => {
          if (disposed) return
          store.mergeRemoteChanges(() => {
            if (drop.length > 0) store.remove(drop.filter((id) => store.has(id)))
            if (restore.length > 0) store.put(restore)
          })
        })
        return
      }
      const local = options.local
      const writes: [string, TLRecord | null][] = []
      for (const r of Object.values(changes.added)) {
        // BRG-8: a record kept local never reaches the doc.
        if (local && (local.has(r.id) ? (local.update(r), true) : local.claim(r))) continue
        writes.push([r.id, r])
      }
      for (const [, to] of Object.values(changes.updated)) {
        if (local?.has(to.id)) local.update(to)
        else writes.push([to.id, to])
      }
      for (const r of Object.values(changes.removed)) {
        if (local?.has(r.id)) local.remove(r.id)
        else writes.push([r.id, null])
      }
      write(writes)
    },
    { source: 'user', scope: 'document' },
  )

  return {
    get skipped() {
      return skipped
    },
    publish(ids) {
      if (disposed || !mayWrite()) return false
      const writes: [string, TLRecord][] = []
      for (const id of ids) {
        const r = store.get(id as TLRecord['id'])
        if (r) writes.push([id, r])
      }
      write(writes)
      return true
    },
    dispose() {
      disposed = true
      unlisten()
      records.unobserve(onDocChange)
    },
  }
}
