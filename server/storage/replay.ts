import * as Y from 'yjs'
import type { StoredBoard } from './types.ts'

/** Applies a stored board (its snapshot, then every update after it) to `doc`; returns `doc`. */
export function replayStored(stored: Pick<StoredBoard, 'snapshot' | 'updates'>, doc: Y.Doc = new Y.Doc()): Y.Doc {
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
  for (const u of stored.updates) Y.applyUpdate(doc, u)
  return doc
}
