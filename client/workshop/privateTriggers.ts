/**
 * When private notes (silent ideas) are published — pure, framework-free (PRIV-2 in
 * client/SPEC.md). A client holds private notes per round; the facilitator's `privateMode`
 * decides what happens to them:
 * - `on` for round R: new notes go private under R, notes of R stay private;
 * - `revealed` for R: the notes of R are published;
 * - another round (or no `privateMode` at all): every held round is published.
 * Publishing needs the board's state from the server (synced, so a reload that has not heard
 * the session yet does not publish early), a connection (online) and the right to write (not
 * locked): otherwise the notes wait and the decision is taken again when that changes.
 */
import type { PrivateModeState } from '../../shared/facilitation/index.ts'

/** The round new notes go private under now, or null (they are published as usual). */
export function privateRoundNow(mode: PrivateModeState | null): string | null {
  return mode?.status === 'on' ? mode.round : null
}

/** The held rounds whose notes are due to be published under `mode` (held order kept). */
export function roundsDue(held: Iterable<string>, mode: PrivateModeState | null): string[] {
  const keep = privateRoundNow(mode)
  const out: string[] = []
  for (const round of held) if (round !== keep && !out.includes(round)) out.push(round)
  return out
}

export interface PublishConditions {
  /** The session map has been received from the server (first sync done). */
  synced: boolean
  /** The connection is up now. */
  online: boolean
  /** This person may write the board now (BRG-7: not a viewer, not locked). */
  mayWrite: boolean
}

/** What to publish now: the due rounds when the conditions allow, else nothing (retried later). */
export function roundsToPublishNow(held: Iterable<string>, mode: PrivateModeState | null, c: PublishConditions): string[] {
  if (!c.synced || !c.online || !c.mayWrite) return []
  return roundsDue(held, mode)
}
