/**
 * The goal summary of a bench run: one row per figure that has a goal, ours beside the
 * references of the same run, ✓/✗.
 * `npm run bench` (a full run with the default output) writes it into README.md between
 * the markers below, so the README's table is always the latest run's.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { formatCell, goalText, meets, type Cell, type ScenarioTable } from './report.ts'

export const README_START = '<!-- bench:summary:start (written by npm run bench) -->'
export const README_END = '<!-- bench:summary:end -->'

/** A cell of the summary: as in the full tables, long texts cut short. */
const cell = (c: Cell | undefined, digits: number): string => formatCell(c, digits).slice(0, 40)

/** The summary table (markdown) of `tables`, for the servers that ran. */
export function renderGoalSummary(tables: ScenarioTable[], servers: string[]): string {
  const refs = servers.filter((s) => s === 'stock' || s === 'hocuspocus')
  const head = ['scenario', 'figure', 'goal', 'ours', ...refs.map((r) => (r === 'stock' ? 'stock y-websocket' : 'hocuspocus')), 'met']
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 3 ? '---' : '---:')).join('|')}|`]
  for (const t of tables) {
    for (const row of t.rows) {
      if (!row.goal) continue
      const digits = row.digits ?? 1
      const ours = t.cells.arvo?.[row.key]
      const ok = typeof ours === 'number' && meets(ours, row.goal)
      const goal = goalText(row.goal, digits)
      const mark = typeof ours === 'number' ? (ok ? '✓' : '✗') : '—'
      lines.push(`| ${t.title.split(/, | \(/)[0]} | ${row.label} | ${goal} | ${cell(ours, digits)} | ${refs.map((r) => cell(t.cells[r]?.[row.key], digits)).join(' | ')}${refs.length ? ' | ' : ''}${mark} |`)
    }
  }
  return lines.join('\n')
}

/** Replaces the block between the markers in `readmePath` with `block`. False when the markers are missing. */
export function writeReadmeSummary(readmePath: string, block: string): boolean {
  const text = readFileSync(readmePath, 'utf8')
  const a = text.indexOf(README_START)
  const b = text.indexOf(README_END)
  if (a < 0 || b < a) return false
  writeFileSync(readmePath, `${text.slice(0, a + README_START.length)}\n${block}\n${text.slice(b)}`)
  return true
}
