/**
 * The board's notes as CSV (rule EXP-2): one row per note of the report model
 * (`input.summary.notes`), headers and template/zone/side names in `input.language`.
 * UTF-8 with a byte-order mark (Excel then reads ä, õ, я right), RFC 4180 quoting, CRLF line
 * ends, and cells that a spreadsheet would run as a formula get a leading apostrophe.
 */
import { templateTitle } from '../../shared/domain/index.ts'
import { sideName, t, type Language } from '../../shared/i18n/index.ts'
import type { Side } from '../../shared/protocol.ts'
import type { ExportInput } from './input.ts'

/** The UTF-8 byte-order mark every CSV export starts with. */
export const UTF8_BOM = '\uFEFF'

/**
 * A cell a spreadsheet would read as a formula (OWASP "CSV injection"): starting with
 * = + - @, or a tab / carriage return / line feed, also after leading white space (some
 * programs trim it before looking) and in their full-width forms (＝ ＋ － ＠, which some
 * spreadsheets take for the ASCII ones).
 */
const FORMULA_START = /^[\s\u00a0\u3000\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/

/** One CSV field: formula guard, then RFC 4180 quoting when it holds a comma, quote or line break. */
export function csvCell(value: string | number | null): string {
  if (value === null) return ''
  if (typeof value === 'number') return String(value)
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

function side(lang: Language, s: Side | null): string {
  return s ? sideName(lang, s) : ''
}

/** The header row's texts in `lang` (the column order of every row). */
export function csvHeaders(lang: Language): string[] {
  return [
    t(lang, 'csvColTemplate'),
    t(lang, 'csvColZone'),
    t(lang, 'csvColSide'),
    t(lang, 'csvColAuthor'),
    t(lang, 'csvColText'),
    t(lang, 'csvColVotesProvider'),
    t(lang, 'csvColVotesCustomer'),
    t(lang, 'csvColOwner'),
    t(lang, 'csvColOwnerSide'),
    t(lang, 'csvColDue'),
  ]
}

/** The CSV text (BOM included) of the board in `input`. */
export function boardCsv(input: ExportInput): string {
  const lang = input.language
  const rows: string[][] = [csvHeaders(lang).map(csvCell)]
  for (const n of input.summary.notes) {
    rows.push(
      [
        n.template ? templateTitle(n.template, lang) : t(lang, 'fmtOutsideTemplates'),
        n.zoneLabel,
        side(lang, n.side),
        n.authorName,
        n.text,
        n.votes ? n.votes.provider : null,
        n.votes ? n.votes.customer : null,
        n.owner,
        side(lang, n.ownerSide),
        n.due,
      ].map(csvCell),
    )
  }
  return UTF8_BOM + rows.map((r) => r.join(',')).join('\r\n') + '\r\n'
}
