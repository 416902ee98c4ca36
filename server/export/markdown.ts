/**
 * The outcome report as Markdown (rule EXP-3), for e-mail or a CRM: title, date, participants
 * by side; per template the notes grouped by zone and side (the pyramid from table stakes up,
 * the role map as its provider | shared | customer grid, the staircase steps with both sides'
 * ratings and the gap); the vote result ranked and split by side, with the disagreements; the
 * contribution balance with its warning; coverage gaps; the action plan as a table. Labels in
 * `input.language`, notes as written (Markdown in them escaped). Pure.
 */
import {
  ACTION_WAYS,
  balanceWarningMessage,
  emptyZoneMessage,
  ROLE_COLUMNS,
  ROLE_ROWS,
  templateTitle,
  templateZones,
  zoneLabel,
} from '../../shared/domain/index.ts'
import { sideName, t, type Language } from '../../shared/i18n/index.ts'
import { SIDES, type Side } from '../../shared/protocol.ts'
import type { ExportInput } from './input.ts'

type Note = ExportInput['summary']['notes'][number]

/**
 * Note text as Markdown that shows exactly the text: every character Markdown could read as
 * markup is backslash-escaped (CommonMark allows it before any ASCII punctuation), a line
 * start that would make a list, heading or quote is escaped too. Line breaks become `<br>`
 * (they would otherwise end a table row or a list item).
 */
export function escapeMarkdown(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) =>
      line
        .replace(/[\\`*_{}[\]<>()#|~!&]/g, '\\$&')
        .replace(/^(\s*)([-+=])/, '$1\\$2')
        .replace(/^(\s*\d+)([.)])/, '$1\\$2'),
    )
    .join('<br>')
}

/** A table row: cells joined with `|`. */
function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`
}

function table(head: string[], body: string[][]): string[] {
  return [row(head), row(head.map(() => '---')), ...body.map(row)]
}

function sideOf(lang: Language, s: Side | null): string {
  return s ? sideName(lang, s) : t(lang, 'fmtNoSide')
}

/** A note in a list: its text, then author (and dots when a vote was held). */
function noteLine(lang: Language, n: Note): string {
  const bits: string[] = []
  if (n.authorName) bits.push(escapeMarkdown(n.authorName))
  if (n.votes && n.votes.provider + n.votes.customer > 0) {
    bits.push(`● ${sideName(lang, 'provider')} ${n.votes.provider} · ${sideName(lang, 'customer')} ${n.votes.customer}`)
  }
  return `${escapeMarkdown(n.text) || '—'}${bits.length ? ` — *${bits.join(', ')}*` : ''}`
}

/** The notes of one zone, by side (provider, customer, then notes without a side). */
function zoneBySide(lang: Language, notes: Note[]): string[] {
  const out: string[] = []
  for (const s of [...SIDES, null] as const) {
    const mine = notes.filter((n) => n.side === s)
    if (mine.length === 0) continue
    out.push(`- **${sideOf(lang, s)}**`)
    for (const n of mine) out.push(`  - ${noteLine(lang, n)}`)
  }
  if (out.length === 0) out.push(`- *${t(lang, 'mdNoNotesInZone')}*`)
  return out
}

function pct(share: number): string {
  return `${Math.round(share * 100)} %`
}

function byZone(notes: Note[], instance: string): Map<string, Note[]> {
  const out = new Map<string, Note[]>()
  for (const n of notes) {
    if (n.instance !== instance || !n.zone) continue
    const list = out.get(n.zone) ?? []
    list.push(n)
    out.set(n.zone, list)
  }
  return out
}

/** Zones of a template in their order, limited to those on the board (coverage lists them). */
function zonesOnBoard(input: ExportInput, instance: string): string[] {
  return input.summary.coverage.zones.filter((z) => z.instance === instance).map((z) => z.zone)
}

function pyramidSection(input: ExportInput, instance: string): string[] {
  const lang = input.language
  const notes = byZone(input.summary.notes, instance)
  const present = new Set(zonesOnBoard(input, instance))
  const out: string[] = []
  // from table stakes up: the template's zone order is bottom to top
  for (const z of templateZones('pyramid')) {
    if (!present.has(z.id)) continue
    out.push(`### ${escapeMarkdown(zoneLabel('pyramid', z.id, lang) ?? z.id)}`, '', ...zoneBySide(lang, notes.get(z.id) ?? []), '')
  }
  return out
}

function roleMapSection(input: ExportInput, instance: string): string[] {
  const lang = input.language
  const notes = byZone(input.summary.notes, instance)
  const cell = (zone: string) => {
    const list = notes.get(zone) ?? []
    return list.map((n) => `${escapeMarkdown(n.text) || '—'}${n.authorName ? ` (${escapeMarkdown(n.authorName)})` : ''}`).join('<br>')
  }
  const body = ROLE_ROWS.map((r) => [`**${escapeMarkdown(r.label[lang])}**`, ...ROLE_COLUMNS.map((c) => cell(`${r.id}.${c.id}`))])
  return [...table([t(lang, 'mdStage'), ...ROLE_COLUMNS.map((c) => escapeMarkdown(c.label[lang]))], body), '']
}

function staircaseSection(input: ExportInput, instance: string): string[] {
  const lang = input.language
  const notes = byZone(input.summary.notes, instance)
  const steps = input.summary.perceptionGap.filter((s) => s.instance === instance)
  const rating = (v: number | null) => (v === null ? t(lang, 'notRated') : `${v}/5`)
  const out: string[] = []
  const present = new Set(zonesOnBoard(input, instance))
  for (const z of templateZones('staircase')) {
    const gap = steps.find((s) => s.step === z.id)
    if (!gap && !present.has(z.id)) continue
    out.push(`### ${escapeMarkdown(zoneLabel('staircase', z.id, lang) ?? z.id)}`, '')
    if (gap) {
      const parts = [
        `${sideName(lang, 'provider')} ${rating(gap.provider)}`,
        `${sideName(lang, 'customer')} ${rating(gap.customer)}`,
      ]
      if (gap.gap !== null) parts.push(`${t(lang, 'gap')} ${gap.gap}`)
      out.push(`${t(lang, 'mdRatings')}: ${parts.join(' · ')}`, '')
    }
    out.push(...zoneBySide(lang, notes.get(z.id) ?? []), '')
  }
  // the perception gap, largest first (summary.perceptionGap's order)
  const rated = steps.filter((s) => s.status !== 'unrated')
  if (rated.length > 0) {
    out.push(`### ${t(lang, 'perceptionGap')}`, '')
    out.push(
      ...table(
        [t(lang, 'step'), sideName(lang, 'provider'), sideName(lang, 'customer'), t(lang, 'gap')],
        rated.map((s) => [escapeMarkdown(s.label), rating(s.provider), rating(s.customer), s.gap === null ? '—' : String(s.gap)]),
      ),
      '',
    )
  }
  return out
}

function actionRows(input: ExportInput, notes: Note[]): string[][] {
  const lang = input.language
  return notes.map((n) => {
    const way = ACTION_WAYS.find((w) => n.zone?.startsWith(`${w.id}.`))
    return [
      way ? escapeMarkdown(way.short[lang]) : '',
      escapeMarkdown(n.text) || '—',
      n.ownerSide ? sideName(lang, n.ownerSide) : '',
      n.owner ? escapeMarkdown(n.owner) : '',
      n.due ?? '',
    ]
  })
}

function participants(input: ExportInput): string[] {
  const lang = input.language
  const people = input.summary.balance.people
  if (people.length === 0) return [t(lang, 'mdNobodyYet')]
  const out: string[] = []
  for (const s of SIDES) {
    const names = people.filter((p) => p.side === s).map((p) => escapeMarkdown(p.authorName || p.authorId))
    if (names.length) out.push(`- **${sideName(lang, s)}** (${names.length}): ${names.join(', ')}`)
  }
  return out
}

function voteSection(input: ExportInput): string[] {
  const lang = input.language
  const vote = input.summary.vote
  const out = [`## ${t(lang, 'mdVoteResults')}`, '']
  if (!vote) return [...out, t(lang, 'mdNoVote'), '']
  out.push(
    `${t(lang, 'mdVoteDots', { dots: vote.dots })} · ${sideName(lang, 'provider')}: ${t(lang, 'mdVoters', { count: vote.voters.provider })} · ${sideName(lang, 'customer')}: ${t(lang, 'mdVoters', { count: vote.voters.customer })}`,
    '',
  )
  if (vote.ranked.length === 0) return [...out, t(lang, 'mdNoDots'), '']
  out.push(
    ...table(
      [t(lang, 'mdRank'), t(lang, 'mdNote'), sideName(lang, 'provider'), sideName(lang, 'customer'), t(lang, 'mdTotal')],
      vote.ranked.map((e, i) => [String(i + 1), escapeMarkdown(e.text) || '—', String(e.provider), String(e.customer), String(e.total)]),
    ),
    '',
  )
  if (vote.disagreements.length > 0) {
    out.push(`### ${t(lang, 'mdDisagreements')}`, '')
    const dotsOf = (s: Side) => vote.ranked.reduce((sum, e) => sum + e[s], 0)
    const share = (n: number, s: Side) => (dotsOf(s) > 0 ? pct(n / dotsOf(s)) : '—')
    out.push(
      ...table(
        [t(lang, 'mdNote'), `${sideName(lang, 'provider')} (${t(lang, 'mdShareOfDots')})`, `${sideName(lang, 'customer')} (${t(lang, 'mdShareOfDots')})`, t(lang, 'gap')],
        vote.disagreements.map((d) => [
          escapeMarkdown(d.text) || '—',
          `${d.provider} (${share(d.provider, 'provider')})`,
          `${d.customer} (${share(d.customer, 'customer')})`,
          pct(d.gap),
        ]),
      ),
      '',
    )
  }
  return out
}

function balanceSection(input: ExportInput): string[] {
  const lang = input.language
  const b = input.summary.balance
  const out = [`## ${t(lang, 'balance')}`, '']
  if (b.total === 0) return [...out, t(lang, 'noContributionsYet'), '']
  out.push(
    ...table(
      [t(lang, 'csvColSide'), t(lang, 'notes'), t(lang, 'edits'), t(lang, 'mdShare')],
      SIDES.map((s) => [sideName(lang, s), String(b[s].notes), String(b[s].edits), pct(b[s].share)]),
    ),
    '',
  )
  const warning = balanceWarningMessage(b, lang)
  if (warning && b.warning) {
    const hint = t(lang, b.warning.side === 'provider' ? 'balanceHintProvider' : 'balanceHintCustomer')
    out.push(`> **⚠ ${warning}.** ${hint}`, '')
  } else {
    out.push(t(lang, 'balanceEven'), '')
  }
  out.push(`### ${t(lang, 'byPerson')}`, '')
  out.push(
    ...table(
      [t(lang, 'csvColAuthor'), t(lang, 'csvColSide'), t(lang, 'notes'), t(lang, 'edits')],
      b.people.map((p) => [escapeMarkdown(p.authorName || p.authorId), sideName(lang, p.side), String(p.notes), String(p.edits)]),
    ),
    '',
  )
  return out
}

function coverageSection(input: ExportInput): string[] {
  const lang = input.language
  const cov = input.summary.coverage
  const out = [`## ${t(lang, 'mdCoverageGaps')}`, '']
  if (cov.emptyZones.length === 0) out.push(t(lang, 'mdNoCoverageGaps'))
  for (const z of cov.emptyZones) out.push(`- ${escapeMarkdown(emptyZoneMessage(z, lang))}`)
  if (cov.outsideZones > 0) out.push('', t(lang, 'notesOutsideTemplates', { count: cov.outsideZones }))
  return [...out, '']
}

/** The report as Markdown text (UTF-8 when encoded; ends with a newline). */
export function boardMarkdown(input: ExportInput): string {
  const lang = input.language
  const s = input.summary
  const title = s.title ?? t(lang, 'mdBoardTitle', { id: input.boardId })
  const date = input.generatedAt.slice(0, 10)
  const out: string[] = [`# ${escapeMarkdown(title)}`, '', `${t(lang, 'mdDate')}: ${date} · ${t(lang, 'mdBoardId')}: ${input.boardId}`, '']
  out.push(`## ${t(lang, 'mdParticipants')}`, '', ...participants(input), '')
  const actionNotes: Note[] = []
  for (const inst of s.templates) {
    if (inst.template === 'actionPlan') {
      actionNotes.push(...s.notes.filter((n) => n.instance === inst.instance))
      continue
    }
    out.push(`## ${escapeMarkdown(inst.title)}`, '')
    const has = s.notes.some((n) => n.instance === inst.instance)
    if (!has && inst.template !== 'staircase') {
      out.push(t(lang, 'mdNoNotesInTemplate'), '')
      continue
    }
    if (inst.template === 'pyramid') out.push(...pyramidSection(input, inst.instance))
    else if (inst.template === 'roleMap') out.push(...roleMapSection(input, inst.instance))
    else out.push(...staircaseSection(input, inst.instance))
  }
  const outside = s.notes.filter((n) => n.template === null)
  if (outside.length > 0) out.push(`## ${t(lang, 'fmtOutsideTemplates')}`, '', ...zoneBySide(lang, outside), '')
  out.push(...voteSection(input), ...balanceSection(input), ...coverageSection(input))
  if (s.templates.some((i) => i.template === 'actionPlan')) {
    out.push(`## ${templateTitle('actionPlan', lang)}`, '')
    if (actionNotes.length === 0) out.push(t(lang, 'mdNoActions'), '')
    else
      out.push(
        ...table([t(lang, 'mdWay'), t(lang, 'mdWhat'), t(lang, 'csvColOwnerSide'), t(lang, 'csvColOwner'), t(lang, 'csvColDue')], actionRows(input, actionNotes)),
        '',
      )
  }
  out.push('---', '', `*${t(lang, 'mdExportedFrom', { date })}*`, '')
  return out.join('\n')
}
