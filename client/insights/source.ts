/**
 * A throttled, framework-free feed of what the insights need: the board's shapes (from the
 * tldraw store, local and remote changes alike) and the per-person edit counts the server
 * writes into the doc's `meta` map (`edits:<userId>`). Listeners are told at most once per
 * `throttleMs` (first change at once, the rest batched), so a big board in a busy workshop
 * does not recompute insights on every keystroke.
 */
import type { TLShape, TLStore } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import { DocLayout, editCountsFromMeta, type MetaEditCount } from '../../shared/protocol.ts'

export interface BoardSnapshot {
  shapes: readonly TLShape[]
  edits: readonly MetaEditCount[]
  /** Increases with every new snapshot. */
  version: number
}

export interface BoardSnapshotSource {
  /** The latest snapshot (the same object until something changed and the throttle let it through). */
  getSnapshot(): BoardSnapshot
  /** Calls `listener` after each new snapshot; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
  /** Takes a snapshot now, skipping the throttle. */
  flush(): void
  /**
   * Tells the source how long its consumers took to process the latest snapshot: the interval
   * grows to `WORK_FACTOR` times that (at most `MAX_THROTTLE_MS`), so a huge board costs at
   * most about a tenth of the main thread.
   */
  reportWork(ms: number): void
  /** Stops listening to the store and the doc. */
  dispose(): void
}

/** Default: at most four updates per second. */
export const INSIGHTS_THROTTLE_MS = 250
/** The interval is at least this many times the consumers' processing time. */
export const WORK_FACTOR = 10
/** ... and never longer than this. */
export const MAX_THROTTLE_MS = 2000

/**
 * @param store - The board's tldraw store.
 * @param meta - The doc's top-level `meta` map.
 * @param options - `throttleMs`; `now` and timers are injectable for tests.
 */
export function createBoardSnapshotSource(
  store: TLStore,
  meta: Y.Map<unknown>,
  options: { throttleMs?: number; now?: () => number } = {},
): BoardSnapshotSource {
  const baseThrottleMs = options.throttleMs ?? INSIGHTS_THROTTLE_MS
  let throttleMs = baseThrottleMs
  const now = options.now ?? (() => Date.now())
  const listeners = new Set<() => void>()
  const read = (version: number): BoardSnapshot => ({
    shapes: store.allRecords().filter((r): r is TLShape => r.typeName === 'shape'),
    edits: editCountsFromMeta(meta.entries()),
    version,
  })
  let snapshot = read(0)
  let last = -Infinity
  let timer: ReturnType<typeof setTimeout> | null = null
  let disposed = false

  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = null
    if (disposed) return
    last = now()
    snapshot = read(snapshot.version + 1)
    for (const l of [...listeners]) l()
  }
  const schedule = () => {
    if (timer || disposed) return
    const wait = Math.max(0, last + throttleMs - now())
    timer = setTimeout(flush, wait)
  }
  const stopStore = store.listen(schedule, { scope: 'document' })
  const onMeta = (event: Y.YMapEvent<unknown>) => {
    if ([...event.keysChanged].some((k) => k.startsWith(DocLayout.editsPrefix))) schedule()
  }
  meta.observe(onMeta)

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    flush,
    reportWork(ms) {
      throttleMs = Math.min(MAX_THROTTLE_MS, Math.max(baseThrottleMs, ms * WORK_FACTOR))
    },
    dispose() {
      disposed = true
      if (timer) clearTimeout(timer)
      timer = null
      stopStore()
      meta.unobserve(onMeta)
      listeners.clear()
    },
  }
}
