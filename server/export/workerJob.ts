/**
 * One export job as the export worker runs it (and the in-process fallback, and the CLI):
 * read the board from storage, build its export input, render one format. Kept free of the
 * HTTP layer so the worker thread loads only storage and the renderers.
 */
import type { Language } from '../../shared/i18n/index.ts'
import type { BoardStorage } from '../storage/types.ts'
import { backupJson } from './backup.ts'
import { boardCsv } from './csv.ts'
import type { ExportInput } from './input.ts'
import { loadExportInput } from './load.ts'
import { boardMarkdown } from './markdown.ts'
import { renderBoardPdf, type Paper } from './pdf/index.ts'

export const EXPORT_FORMATS = ['pdf', 'csv', 'md', 'json'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** What one export is: which board, which format, in which language and paper, dated when. */
export interface ExportJob {
  boardId: string
  format: ExportFormat
  language: Language
  paper: Paper
  /** ISO time the export is made (the report's date, the download's name). */
  generatedAt: string
}

/** A finished export: the file's bytes and the board title (for the download's name). */
export interface ExportResult {
  body: Uint8Array
  title: string | null
}

/** A render failed (the input was read): answered 500 with this message. */
export class ExportRenderError extends Error {}

/** What an export format makes of a board. */
export async function renderExport(input: ExportInput, format: ExportFormat, paper: Paper, renderPdf = renderBoardPdf): Promise<Uint8Array> {
  switch (format) {
    case 'csv':
      return Buffer.from(boardCsv(input), 'utf8')
    case 'md':
      return Buffer.from(boardMarkdown(input), 'utf8')
    case 'json':
      return Buffer.from(backupJson(input), 'utf8')
    case 'pdf':
      return renderPdf(input, { paper })
  }
}

/**
 * Runs `job` against `storage` (which already holds the room's pending edits: the caller waited
 * for them); null when there is no such board. A failing render throws ExportRenderError.
 */
export async function buildExport(storage: Pick<BoardStorage, 'load'>, job: ExportJob, renderPdf = renderBoardPdf): Promise<ExportResult | null> {
  const input = await loadExportInput({ storage }, job.boardId, { language: job.language, generatedAt: job.generatedAt })
  if (!input) return null
  let body: Uint8Array
  try {
    body = await renderExport(input, job.format, job.paper, renderPdf)
  } catch (e) {
    throw new ExportRenderError(`the ${job.format.toUpperCase()} export could not be made: ${(e as Error).message}`)
  }
  return { body, title: input.session.title }
}
