/**
 * What the facilitation adds to `summary.json` (SUM-5): the board title and the last closed
 * vote's result, each ranked note with its text and both sides' dots, and each note's dots by
 * side (exports read them: CSV, the PDF report). Pure.
 */
import type { BoardSummary } from '../domain/insights.ts'
import type { SessionState, VoteResult } from './session.ts'

export interface SummaryVoteEntry {
  noteId: string
  text: string
  provider: number
  customer: number
  total: number
}

export interface SummaryVote {
  voteId: string
  closedAt: string
  dots: number
  voters: VoteResult['voters']
  ranked: SummaryVoteEntry[]
  disagreements: Array<SummaryVoteEntry & { gap: number }>
}

export type SummaryWithSession = Omit<BoardSummary, 'notes'> & {
  title: string | null
  vote: SummaryVote | null
  notes: Array<BoardSummary['notes'][number] & { votes: { provider: number; customer: number } | null }>
}

/** `summary` with the session's title and last vote result (only notes still on the board). */
export function withSession(summary: BoardSummary, session: Pick<SessionState, 'title' | 'voteResult'>): SummaryWithSession {
  const texts = new Map(summary.notes.map((n) => [n.id, n.text]))
  const result = session.voteResult
  const entry = (t: { noteId: string; provider: number; customer: number; total: number }): SummaryVoteEntry => ({
    noteId: t.noteId,
    text: texts.get(t.noteId) ?? '',
    provider: t.provider,
    customer: t.customer,
    total: t.total,
  })
  const vote: SummaryVote | null = result
    ? {
        voteId: result.voteId,
        closedAt: new Date(result.closedAt).toISOString(),
        dots: result.dots,
        voters: result.voters,
        ranked: result.ranked.filter((t) => texts.has(t.noteId)).map(entry),
        disagreements: result.disagreements.filter((t) => texts.has(t.noteId)).map((t) => ({ ...entry(t), gap: t.gap })),
      }
    : null
  const byNote = new Map(result?.ranked.map((t) => [t.noteId, { provider: t.provider, customer: t.customer }]) ?? [])
  return {
    ...summary,
    title: session.title,
    vote,
    notes: summary.notes.map((n) => ({ ...n, votes: result ? (byNote.get(n.id) ?? { provider: 0, customer: 0 }) : null })),
  }
}
