/**
 * Turns measured figures into markdown tables: one per scenario, columns ours | stock |
 * hocuspocus, the goal, and ours/reference ratios.
 */

/** One measured figure: a number, a text (e.g. "ok", "failed: reason"), or null (not measured). */
export type Cell = number | string | null

export interface Goal {
  op: '<=' | '>=' | '='
  value: number
}

export interface RowDef {
  key: string
  label: string
  /** Decimals shown (default 1). */
  digits?: number
  goal?: Goal
  /** Shown in the goal column when there is no checked goal (e.g. a goal that applies elsewhere, for reference). */
  goalText?: string
  /** Show ours/ref ratios (default: true for numeric rows). */
  ratio?: boolean
}

export interface ScenarioTable {
  id: string
  title: string
  /** One line: what was run. */
  setup: string
  rows: RowDef[]
  /** server name → row key → cell. */
  cells: Record<string, Record<string, Cell>>
  notes: string[]
  /** Extra columns after the servers' (e.g. our figure from another table of the run), each with an ours/it ratio column. */
  extra?: { label: string; ratioLabel: string; cells: Record<string, Cell> }[]
}

const LABELS: Record<string, string> = {
  arvo: 'ours',
  'arvo-normal': 'ours (DURABILITY=normal)',
  stock: 'stock y-websocket',
  hocuspocus: 'hocuspocus',
}
const REFERENCES = ['stock', 'hocuspocus']

export function formatNumber(v: number, digits: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'n/a' : '∞'
  const abs = Math.abs(v)
  if (abs >= 100_000) return Math.round(v).toLocaleString('en-US')
  return v.toFixed(digits)
}

export function formatCell(c: Cell | undefined, digits: number): string {
  if (c === null || c === undefined) return '—'
  if (typeof c === 'string') return c.replace(/\|/g, '/').replace(/\n/g, ' ')
  return formatNumber(c, digits)
}

export function meets(v: number, g: Goal): boolean {
  if (g.op === '<=') return v <= g.value
  if (g.op === '>=') return v >= g.value
  return v === g.value
}

/** A goal as printed, e.g. "≤ 10.00". */
export function goalText(g: Goal, digits: number): string {
  return `${g.op === '=' ? '=' : g.op === '<=' ? '≤' : '≥'} ${formatNumber(g.value, digits)}`
}

function ratio(ours: Cell | undefined, ref: Cell | undefined): string {
  if (typeof ours !== 'number' || typeof ref !== 'number' || !Number.isFinite(ours) || !Number.isFinite(ref)) return ''
  if (ref === 0) return ours === 0 ? '1.00' : ''
  return (ours / ref).toFixed(2)
}

/** Renders one scenario as markdown (title, setup line, table, notes). */
export function renderTable(t: ScenarioTable, servers: string[]): string {
  const refs = servers.filter((s) => REFERENCES.includes(s))
  const showRatios = servers.includes('arvo') && refs.length > 0
  const head = ['figure', 'goal (ours)', ...servers.map((s) => LABELS[s] ?? s)]
  const extra = t.extra ?? []
  for (const x of extra) head.push(x.label)
  if (showRatios) for (const r of refs) head.push(`ours/${r === 'stock' ? 'stock' : 'hocus'}`)
  const extraRatios = servers.includes('arvo') ? extra : []
  for (const x of extraRatios) head.push(x.ratioLabel)
  const lines = [`### ${t.title}`, '', t.setup, '', `| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`]
  for (const row of t.rows) {
    const digits = row.digits ?? 1
    const goal = row.goal ? goalText(row.goal, digits) : (row.goalText ?? '')
    const cells = servers.map((s) => {
      const c = t.cells[s]?.[row.key]
      let text = formatCell(c, digits)
      if (row.goal && typeof c === 'number' && (s === 'arvo' || s === 'arvo-normal')) text += meets(c, row.goal) ? ' ✓' : ' ✗'
      return text
    })
    const out = [row.label, goal, ...cells, ...extra.map((x) => formatCell(x.cells[row.key], digits))]
    if (showRatios) {
      for (const r of refs) out.push(row.ratio === false ? '' : ratio(t.cells.arvo?.[row.key], t.cells[r]?.[row.key]))
    }
    for (const x of extraRatios) out.push(row.ratio === false ? '' : ratio(t.cells.arvo?.[row.key], x.cells[row.key]))
    lines.push(`| ${out.join(' | ')} |`)
  }
  if (t.notes.length > 0) {
    lines.push('')
    for (const n of t.notes) lines.push(`- ${n}`)
  }
  return lines.join('\n')
}

/** The whole report: header line, then every table. */
export function renderReport(header: string[], tables: ScenarioTable[], servers: string[]): string {
  return [...header, '', ...tables.map((t) => renderTable(t, servers) + '\n')].join('\n')
}
