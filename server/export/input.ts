/**
 * What every export reads (PDF, CSV, Markdown, JSON backup): a board's records and session
 * state as stored, plus its summary in the chosen language (the report model: notes grouped by
 * template and zone, balance, coverage, perception gap, vote result). Built from a Y.Doc that
 * holds the board (replayed from storage, or the live room's doc). Pure apart from reading `doc`.
 */
import type * as Y from 'yjs'
import { boardSummary } from '../../shared/domain/index.ts'
import { readSession, withSession, type SessionState, type SummaryWithSession } from '../../shared/facilitation/index.ts'
import type { Language } from '../../shared/i18n/index.ts'
import { DocLayout, editCountsFromMeta } from '../../shared/protocol.ts'
import { replayStored } from '../storage/replay.ts'
import type { StoredBoard } from '../storage/types.ts'

export interface ExportInput {
  boardId: string
  language: Language
  /** ISO time the export was made (the report's date). */
  generatedAt: string
  /** Every record of the board (tldraw records, unvalidated JSON as stored). */
  records: unknown[]
  /** The `session` map read through its validators. */
  session: SessionState
  /** The raw `session` map (the JSON backup keeps it key for key). */
  sessionRaw: Record<string, unknown>
  /** The schema the records were written with (`meta` map's schema key), or null. */
  schema: unknown
  /** summary.json's content in `language`: the report model. */
  summary: SummaryWithSession
}

export interface ExportOptions {
  boardId: string
  language: Language
  generatedAt: string
}

/** The export input of the board held by `doc` (not modified). */
export function exportInputFromDoc(doc: Y.Doc, opts: ExportOptions): ExportInput {
  const records = [...doc.getMap<unknown>(DocLayout.records).values()]
  const metaMap = doc.getMap<unknown>(DocLayout.meta)
  const edits = editCountsFromMeta(metaMap.entries())
  const sessionMap = doc.getMap<unknown>(DocLayout.session)
  const sessionRaw = Object.fromEntries(sessionMap.entries())
  const session = readSession((k) => sessionMap.get(k))
  const summary = withSession(boardSummary(records, { ...opts, edits }), session)
  return {
    ...opts,
    records: records.map((r) => JSON.parse(JSON.stringify(r)) as unknown),
    session,
    sessionRaw: JSON.parse(JSON.stringify(sessionRaw)) as Record<string, unknown>,
    schema: metaMap.get(DocLayout.schemaKey) ?? null,
    summary,
  }
}

/** The export input of a stored board (snapshot + updates replayed into a throwaway doc). */
export async function exportInputFromStored(stored: Pick<StoredBoard, 'snapshot' | 'updates'>, opts: ExportOptions): Promise<ExportInput> {
  const doc = replayStored(stored)
  try {
    return exportInputFromDoc(doc, opts)
  } finally {
    doc.destroy()
  }
}
