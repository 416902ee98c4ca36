/**
 * The board and its outcome as a PDF, drawn on the server from the stored records with pdfkit
 * (no browser). Placeholder until the renderer lands in this issue; the signature is the contract
 * the routes and the CLI call.
 */
import type { ExportInput } from '../input.ts'

export type Paper = 'a4' | 'letter'

export interface PdfOptions {
  paper: Paper
}

/** The whole PDF (board pages, overview, outcome report) as bytes. */
export async function renderBoardPdf(input: ExportInput, opts: PdfOptions): Promise<Uint8Array> {
  void input
  void opts
  throw new Error('PDF rendering is not built yet')
}
