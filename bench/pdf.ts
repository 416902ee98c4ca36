/**
 * The PDF benchmark (issue 12): one 500-note board with all four templates, exported
 * (a) by our pdfkit renderer (`server/export/pdf`, warm: median of several runs) and
 * (b) by headless Chromium printing an HTML page of the same board (`page.setContent` then
 * `page.pdf()`, warm browser; the board pages only — overview + one page per template).
 * Prints one markdown table: time and bytes side by side. Bounded (< 60 s).
 *
 * Run: `node --import tsx bench/pdf.ts [--notes 500] [--runs 7]`
 */
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS } from '../playwright.config.ts'
import type { ExportInput } from '../server/export/input.ts'
import { fontBuffers, FONT } from '../server/export/pdf/fonts.ts'
import { renderBoardPdfWithLayout } from '../server/export/pdf/index.ts'
import { bigBoardInput } from '../server/export/pdf/testShapes.ts'
import { asShape, readArvoMeta, richTextToPlain } from '../shared/domain/index.ts'

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

const NOTE_FILL: Record<string, string> = { provider: '#9BC4FD', customer: '#FAA475' }
const ZONE_FILL: Record<string, string> = {
  grey: '#eceef0', green: '#d3e9e3', blue: '#dce1f8', 'light-violet': '#f5eafa', orange: '#f8e2d4', yellow: '#f9f0e6',
  'light-blue': '#ddedfa', 'light-green': '#dbf0e0', violet: '#ecdcf2', red: '#f4dadb', 'light-red': '#f4dadb', black: '#e8e8e8', white: '#f5f5f5',
}

/** The board as HTML: overview + one page per template, shapes absolutely positioned, fonts inline. */
export function boardHtml(input: ExportInput): string {
  const shapes = input.records.map(asShape).filter((s): s is NonNullable<typeof s> => s !== null && s.parentId.startsWith('page:'))
  const body: string[] = []
  for (const s of shapes) {
    const p = s.props as Record<string, unknown>
    const meta = readArvoMeta(s)
    const text = esc(richTextToPlain(p.richText))
    const pos = `left:${s.x}px;top:${s.y}px`
    if (s.type === 'note' && meta?.kind === 'note') {
      body.push(`<div class="note" style="${pos};background:${NOTE_FILL[meta.side]}"><p>${text}</p><small>${esc(meta.authorName)}</small></div>`)
    } else if (s.type === 'geo') {
      const w = Number(p.w)
      const h = Number(p.h)
      const clip = p.geo === 'trapezoid' ? `clip-path:polygon(${Math.min(w, h) * 0.38}px 0,${w - Math.min(w, h) * 0.38}px 0,100% 100%,0 100%);` : ''
      body.push(`<div class="geo" style="${pos};width:${w}px;height:${h}px;background:${ZONE_FILL[String(p.color)] ?? '#eee'};${clip}">${text}</div>`)
    } else if (s.type === 'text') {
      const scale = Number(p.scale) || 1
      body.push(`<div class="text" style="${pos};width:${Number(p.w) * scale}px;font-size:${24 * scale}px">${text}</div>`)
    }
  }
  const all = body.join('')
  const views: { x: number; y: number; w: number; h: number }[] = []
  const xs = shapes.map((s) => s.x)
  const ys = shapes.map((s) => s.y)
  views.push({ x: Math.min(...xs) - 40, y: Math.min(...ys) - 40, w: Math.max(...xs) - Math.min(...xs) + 600, h: Math.max(...ys) - Math.min(...ys) + 600 })
  for (const inst of input.summary.templates) {
    const mine = shapes.filter((s) => {
      const m = readArvoMeta(s)
      return m && m.kind !== 'note' && m.instance === inst.instance
    })
    const mx = Math.min(...mine.map((s) => s.x))
    const my = Math.min(...mine.map((s) => s.y))
    views.push({ x: mx, y: my, w: Math.max(...mine.map((s) => s.x + (Number(s.props.w) || 0))) - mx, h: Math.max(...mine.map((s) => s.y + (Number(s.props.h) || 100))) - my })
  }
  const W = 1083 // A4 landscape at 96 dpi minus margins
  const H = 720
  const pages = views
    .map((v) => {
      const k = Math.min(W / v.w, H / v.h)
      return `<section><div class="board" style="transform:scale(${k}) translate(${-v.x}px,${-v.y}px)">${all}</div></section>`
    })
    .join('')
  const face = (family: string, name: string, weight: number) =>
    `@font-face{font-family:'${family}';font-weight:${weight};src:url(data:font/ttf;base64,${fontBuffers().get(name as never)!.toString('base64')}) format('truetype')}`
  return `<!doctype html><html><head><meta charset="utf-8"><style>
${face('Plex', FONT.regular, 400)}${face('Plex', FONT.medium, 500)}${face('Plex', FONT.bold, 700)}${face('Shantell', FONT.note, 500)}
@page{size:A4 landscape;margin:10mm}body{margin:0;font-family:Plex}
section{width:${W}px;height:${H}px;overflow:hidden;position:relative;page-break-after:always}
.board{position:absolute;transform-origin:0 0}
.geo,.text,.note{position:absolute;box-sizing:border-box}
.geo{display:flex;align-items:center;justify-content:center;text-align:center;font-size:22px;padding:16px;border:2px solid #999}
.note{width:200px;height:200px;padding:16px;font-family:Shantell;font-size:22px;line-height:1.35;box-shadow:1px 2px 3px #0003;display:flex;flex-direction:column;justify-content:center;text-align:center}
.note p{margin:0;overflow-wrap:break-word}.note small{position:absolute;bottom:6px;left:8px;font:12px Plex}
</style></head><body>${pages}</body></html>`
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export async function runPdfBench(opts: { notes?: number; runs?: number } = {}): Promise<string> {
  const notes = opts.notes ?? 500
  const runs = opts.runs ?? 7
  const t0 = performance.now()
  const input = bigBoardInput(notes)
  const buildMs = performance.now() - t0

  // (a) pdfkit, warm: two warm-up renders, then the median of `runs`.
  let first = 0
  const ours: number[] = []
  let bytes = 0
  let pages = 0
  for (let i = 0; i < runs + 2; i++) {
    const s = performance.now()
    const out = await renderBoardPdfWithLayout(input, { paper: 'a4' })
    const ms = performance.now() - s
    if (i === 0) first = ms
    if (i >= 2) ours.push(ms)
    bytes = out.bytes.byteLength
    pages = out.layout.pages
  }

  // (b) headless Chromium printing the board's HTML, warm browser.
  const html = boardHtml(input)
  let chromeMs: number[] = []
  let chromeBytes = 0
  let chromeError = ''
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
  try {
    const page = await browser.newPage()
    const chromeRuns = Math.max(3, Math.min(runs, 5))
    for (let i = 0; i < chromeRuns + 1; i++) {
      const s = performance.now()
      await page.setContent(html, { waitUntil: 'load' })
      const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true })
      const ms = performance.now() - s
      if (i >= 1) chromeMs.push(ms)
      chromeBytes = pdf.byteLength
    }
  } catch (e) {
    chromeError = (e as Error).message.split('\n')[0]!
    chromeMs = []
  } finally {
    await browser.close()
  }
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`
  const ms = (n: number) => `${n.toFixed(0)} ms`
  return [
    `### PDF export (${notes}-note board, all four templates)`,
    '',
    `Board built in ${ms(buildMs)}. Same board, same run. Goal: well under 2 s for our renderer.`,
    '',
    '| | pdfkit (ours, shipped) | headless Chromium `page.pdf()` |',
    '|---|---|---|',
    `| what | 1 overview + ${input.summary.templates.length} template pages + ${pages - 1 - input.summary.templates.length} report pages = ${pages} pages | board pages only (overview + ${input.summary.templates.length} templates), HTML of the records |`,
    `| median render (warm) | ${ms(median(ours))} (${ours.length} runs; min ${ms(Math.min(...ours))}, max ${ms(Math.max(...ours))}) | ${chromeMs.length ? `${ms(median(chromeMs))} (${chromeMs.length} runs, browser already running)` : `failed: ${chromeError}`} |`,
    `| first render in this process | ${ms(first)} (fonts read and parsed) | — |`,
    `| file size | ${kb(bytes)} | ${chromeMs.length ? kb(chromeBytes) : '—'} |`,
    `| goal < 2 s | ${median(ours) < 2000 ? '✓' : '✗'} | |`,
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { notes: { type: 'string' }, runs: { type: 'string' } } })
  const timeout = setTimeout(() => {
    console.error('pdf bench: time limit reached (60 s)')
    process.exit(1)
  }, 60_000)
  runPdfBench({ notes: values.notes ? Number(values.notes) : undefined, runs: values.runs ? Number(values.runs) : undefined }).then(
    (table) => {
      clearTimeout(timeout)
      console.log(table)
      process.exit(0)
    },
    (e) => {
      console.error(e)
      process.exit(1)
    },
  )
}
