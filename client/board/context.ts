import { createContext, useContext, useMemo, useSyncExternalStore } from 'react'
import type { Language } from '../../shared/i18n/index.ts'
import type { LinkRole, LinksResponse, SessionKey, Side } from '../../shared/protocol.ts'
import type { BoardAccess } from '../access/links.ts'
import { computeInsights, type InsightsModel } from '../insights/model.ts'
import type { BoardSnapshot, BoardSnapshotSource } from '../insights/source.ts'
import type { Atom } from 'tldraw'
import type { RatingHover } from './ratingStars.ts'
import type { SessionPatch } from '../../shared/facilitation/index.ts'
import type { BoardConnection } from '../sync/connection.ts'

/**
 * This person on this board: the server's person id (note author id, presence id), the name
 * they gave, and the side their notes take (the link's for participants, their own choice for a
 * facilitator).
 */
export interface BoardIdentity {
  id: string
  name: string
  side: Side
}

/** What the board's panels share: who is here and the live, throttled view of the board. */
export interface BoardContextValue {
  boardId: string
  identity: BoardIdentity
  snapshots: BoardSnapshotSource
  /** What this browser's token makes it on this board (role, side, link), with its credentials. */
  access: BoardAccess
  /** Writes one key of the board's `session` map (facilitators only; the server refuses others). */
  setSessionFlag(key: SessionKey, value: boolean): void
  /**
   * Writes several keys of the `session` map in one transaction (facilitators only; a key whose
   * value is `null` is deleted). Build patches with `shared/facilitation`'s actions.
   */
  patchSession(patch: SessionPatch): void
  /** The board's Y.Doc, provider and awareness (facilitation and workshop features read them). */
  connection: BoardConnection
  /** Resets links (facilitator): answers all four; a new facilitator token of our own is kept at once. */
  rotateLinks(roles: LinkRole[]): Promise<LinksResponse>
  /** The rating a click would set now (own side only), for the preview (RATE-C1). */
  ratingHover: Atom<RatingHover | null>
}

export const BoardContext = createContext<BoardContextValue | null>(null)

/** The board context; panels are only rendered inside `BoardCanvas`. */
export function useBoard(): BoardContextValue {
  const value = useContext(BoardContext)
  if (!value) throw new Error('useBoard outside BoardCanvas')
  return value
}

/** One computation per snapshot and language, shared by every panel that reads insights. */
const cache = new WeakMap<BoardSnapshot, { lang: Language; model: InsightsModel }>()

/** The insights of `snapshot` in `lang` (cached); the time it took is reported to `source`. */
export function insightsOf(snapshot: BoardSnapshot, lang: Language, source?: BoardSnapshotSource): InsightsModel {
  const hit = cache.get(snapshot)
  if (hit && hit.lang === lang) return hit.model
  const started = performance.now()
  const model = computeInsights(snapshot.shapes, snapshot.edits, lang)
  source?.reportWork(performance.now() - started)
  cache.set(snapshot, { lang, model })
  return model
}

/** Live insights in `lang`, recomputed at most a few times per second (see `source.ts`). */
export function useInsights(lang: Language): InsightsModel {
  const { snapshots } = useBoard()
  const snapshot = useSyncExternalStore(snapshots.subscribe, snapshots.getSnapshot)
  return useMemo(() => insightsOf(snapshot, lang, snapshots), [snapshot, lang, snapshots])
}
