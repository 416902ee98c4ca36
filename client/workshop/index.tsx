/**
 * Silent ideas (private notes) and dot voting (issue 11) as tldraw slot content (WS-1..5 in
 * client/SPEC.md): `WorkshopTop` (everyone: the private-mode sign, a participant's vote bar, the
 * vote result), `WorkshopSections` (inside the facilitator panel: start/reveal silent ideas with
 * the counts per person, start/close a vote with the voter count, the last result),
 * `WorkshopCanvas` (page space: "only you see this" on private notes, the dot controls on
 * eligible notes while a vote is open, the dots per side after it closed).
 */
import { useEffect, useState, type SyntheticEvent } from 'react'
import { useEditor, useValue } from 'tldraw'
import {
  closeVote,
  eligibleNoteIds,
  MAX_DOTS,
  MIN_DOTS,
  openVote,
  revealPrivate,
  startPrivate,
  type CastRefusal,
  type NoteTally,
  type VoteResult,
  type VoteState,
} from '../../shared/facilitation/index.ts'
import { sideName, t, type Language, type MessageKey } from '../../shared/i18n/index.ts'
import { SIDES, type Side } from '../../shared/protocol.ts'
import { templatesOnBoard } from '../board/behaviour.ts'
import { useBoard } from '../board/context.ts'
import { navigatorItems } from '../board/view.ts'
import { serverNow, useWorkshop, workshopStore } from '../facilitation/store.ts'
import { sessionStore, useSession } from '../state/session.ts'
import { plainText, privateHolders, shownResult, voteOptionsFrom, type AwarenessLike } from './model.ts'
import { workshopUi, useWorkshopUi } from './state.ts'
import { castDot, readVotes, type VoteCredentials } from './votesApi.ts'
import './workshop.css'

const REFUSAL_KEYS: Record<CastRefusal | 'network' | 'http', MessageKey> = {
  budget: 'wsRefusedBudget',
  onePerNote: 'wsRefusedOnePerNote',
  notEligible: 'wsRefusedNotEligible',
  closed: 'wsRefusedClosed',
  noVote: 'wsRefusedNoVote',
  wrongVote: 'wsRefusedWrongVote',
  notANote: 'wsRefusedNotANote',
  noDot: 'wsRefusedNoDot',
  notPresent: 'wsRefusedNotPresent',
  network: 'wsRefusedNetwork',
  http: 'wsRefusedNetwork',
}

/** Keeps a pointer or key on a control from reaching tldraw (no select, move, edit or shortcut). */
const stop = (e: SyntheticEvent) => e.stopPropagation()
const stopAll = { onPointerDown: stop, onPointerUp: stop, onPointerMove: stop, onDoubleClick: stop, onKeyDown: stop, onKeyUp: stop, onWheel: undefined }

function useCredentials(): VoteCredentials {
  const { boardId, access } = useBoard()
  return { boardId, token: access.token, person: access.person }
}

function openVoteNow(): VoteState | null {
  const v = workshopStore.getState().session.vote
  return v && v.status === 'open' ? v : null
}

/**
 * A participant's own ballot (VOTE-C2): read from `GET …/votes` when a vote opens, on load and
 * after every reconnect; replaced by each cast's answer. Nobody else's dots are ever read.
 */
function useBallotSync(enabled: boolean) {
  const credentials = useCredentials()
  const vote = useWorkshop((s) => s.session.vote)
  const online = useSession((s) => s.connection === 'online')
  const voteKey = vote && vote.status === 'open' ? `${vote.id}:${vote.dots}` : null
  useEffect(() => {
    if (!enabled || !voteKey || !online) {
      if (!voteKey) workshopUi.getState().setBallot(null)
      return
    }
    let live = true
    const current = openVoteNow()!
    const mine = workshopUi.getState().ballot
    if (mine?.voteId !== current.id) workshopUi.getState().setBallot({ voteId: current.id, dots: {}, left: current.dots })
    void readVotes(credentials).then((r) => {
      if (!live || !r?.mine || r.mine.voteId !== openVoteNow()?.id) return
      workshopUi.getState().setBallot(r.mine)
    })
    return () => {
      live = false
    }
    // credentials are stable for one board mount
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, voteKey, online])
}

async function cast(credentials: VoteCredentials, noteId: string, delta: 1 | -1, lang: Language) {
  const vote = openVoteNow()
  const ui = workshopUi.getState()
  if (!vote || ui.casting) return
  ui.setCasting(noteId)
  try {
    const r = await castDot(credentials, { voteId: vote.id, noteId, delta })
    if (r.ok) {
      workshopUi.getState().setBallot(r.ballot)
      return
    }
    sessionStore.getState().showNotice(t(lang, REFUSAL_KEYS[r.reason]))
    if (r.reason === 'wrongVote' || r.reason === 'closed' || r.reason === 'budget') {
      const fresh = await readVotes(credentials)
      if (fresh?.mine && fresh.mine.voteId === openVoteNow()?.id) workshopUi.getState().setBallot(fresh.mine)
    }
  } finally {
    workshopUi.getState().setCasting(null)
  }
}

// ---- top centre --------------------------------------------------------------------------------

function VoteRules({ vote, lang }: { vote: VoteState; lang: Language }) {
  const editor = useEditor()
  const items = useValue('arvo vote templates', () => navigatorItems(templatesOnBoard(editor.getCurrentPageShapes()), lang), [editor, lang])
  const names = vote.templates ? items.filter((i) => vote.templates!.includes(i.instance)).map((i) => i.label) : []
  const rules = [
    t(lang, vote.onePerNote ? 'wsVoteRuleOnePerNote' : 'wsVoteRuleManyPerNote'),
    vote.templates ? t(lang, 'wsVoteRuleTemplates', { names: names.join(', ') || '—' }) : t(lang, 'wsVoteRuleAnyNote'),
  ]
  return <span className="arvo-ws-rules">{rules.join(' · ')}</span>
}

/** The private-mode sign, a participant's vote bar and the vote result for everyone (WS-1, WS-3, WS-4). */
export function WorkshopTop() {
  const { access } = useBoard()
  const lang = useSession((s) => s.language)
  const mode = useWorkshop((s) => s.session.privateMode)
  const vote = useWorkshop((s) => s.session.vote)
  const result = useWorkshop((s) => shownResult(s.session))
  const ballot = useWorkshopUi((s) => s.ballot)
  const privateCount = useWorkshopUi((s) => s.privateIds.size)
  const isParticipant = access.role === 'participant'
  useBallotSync(isParticipant)
  const [hidden, setHidden] = useState<string | null>(null)
  const open = vote && vote.status === 'open' ? vote : null
  const mine = open && ballot?.voteId === open.id ? ballot : null
  return (
    <>
      {mode?.status === 'on' && access.role !== 'viewer' && (
        <div className="arvo-banner arvo-ws-private-banner" role="status" data-testid="private-banner">
          <span>{t(lang, 'wsPrivateBanner')}</span>
          <strong data-testid="private-mine">{t(lang, 'wsPrivateMine', { count: privateCount })}</strong>
        </div>
      )}
      {open && isParticipant && (
        <div className="arvo-ws-votebar" role="region" aria-label={t(lang, 'wsVoteTitle')} data-testid="vote-bar">
          <strong>{t(lang, 'wsVoteTitle')}</strong>
          <span className="arvo-ws-left" data-testid="vote-left" aria-live="polite">
            {t(lang, 'wsVoteLeft', { left: mine?.left ?? open.dots, dots: open.dots })}
          </span>
          <VoteRules vote={open} lang={lang} />
          <span className="arvo-ws-howto">{t(lang, 'wsVoteHowTo')}</span>
        </div>
      )}
      {result && (hidden === result.voteId ? (
        <button type="button" className="arvo-secondary arvo-compact arvo-ws-results-toggle" data-testid="results-show" onClick={() => setHidden(null)}>
          {t(lang, 'wsResultShow')}
        </button>
      ) : (
        <section className="arvo-ws-results-panel" aria-label={t(lang, 'wsResultTitle')} data-testid="results-panel">
          <div className="arvo-ws-results-head">
            <strong>{t(lang, 'wsResultTitle')}</strong>
            <button type="button" className="arvo-ws-close" aria-label={t(lang, 'wsResultHide')} title={t(lang, 'wsResultHide')} data-testid="results-hide" onClick={() => setHidden(result.voteId)}>
              ×
            </button>
          </div>
          <ResultView result={result} lang={lang} />
        </section>
      ))}
    </>
  )
}

// ---- results -----------------------------------------------------------------------------------

function SideDots({ tally, lang }: { tally: NoteTally; lang: Language }) {
  return (
    <span className="arvo-ws-sidedots">
      {SIDES.map((side) => (
        <span key={side} className={`arvo-ws-sidedot arvo-ws-sidedot-${side}`} title={sideName(lang, side)} data-side={side}>
          <span className="arvo-ws-sr">{sideName(lang, side)}: </span>
          {tally[side]}
        </span>
      ))}
    </span>
  )
}

/** The ranked list and the disagreements of one result (WS-4), note texts read from the store. */
export function ResultView({ result, lang }: { result: VoteResult; lang: Language }) {
  const editor = useEditor()
  const ids = [...result.ranked, ...result.disagreements].map((r) => r.noteId)
  const texts = useValue(
    'arvo result texts',
    () => JSON.stringify(ids.map((id) => {
      const s = editor.getShape(id as never) as { props?: { richText?: unknown } } | undefined
      return s ? plainText(s.props?.richText) || t(lang, 'wsEmptyNote') : t(lang, 'wsDeletedNote')
    })),
    [editor, ids.join(','), lang],
  )
  const text = JSON.parse(texts) as string[]
  const textOf = (id: string) => text[ids.indexOf(id)]
  return (
    <div className="arvo-ws-result" data-testid="vote-result">
      <p className="arvo-ws-voters">
        {SIDES.map((side) => t(lang, 'wsResultVoters', { side: sideName(lang, side), count: result.voters[side] })).join(' · ')}
      </p>
      {result.ranked.length === 0 ? (
        <p>{t(lang, 'wsResultNoDots')}</p>
      ) : (
        <ol className="arvo-ws-ranked" data-testid="result-ranked">
          {result.ranked.map((r) => (
            <li key={r.noteId} data-note={r.noteId}>
              <span className="arvo-ws-note-text">{textOf(r.noteId)}</span>
              <span className="arvo-ws-total">{t(lang, 'wsResultDots', { count: r.total })}</span>
              <SideDots tally={r} lang={lang} />
            </li>
          ))}
        </ol>
      )}
      <h4 className="arvo-ws-subhead">{t(lang, 'wsResultDisagree')}</h4>
      {result.disagreements.length === 0 ? (
        <p>{t(lang, 'wsResultNoDisagreement')}</p>
      ) : (
        <ul className="arvo-ws-disagree" data-testid="result-disagreements">
          {result.disagreements.map((d) => (
            <li key={d.noteId} data-note={d.noteId}>
              <span className="arvo-ws-note-text">{textOf(d.noteId)}</span>
              <SideDots tally={d} lang={lang} />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

// ---- facilitator panel -------------------------------------------------------------------------

function useAwarenessStates(): AwarenessLike[] {
  const { connection } = useBoard()
  const awareness = connection.awareness
  const [, bump] = useState(0)
  useEffect(() => {
    const onChange = () => bump((n) => n + 1)
    awareness.on('change', onChange)
    return () => awareness.off('change', onChange)
  }, [awareness])
  return [...awareness.getStates().values()] as AwarenessLike[]
}

function SilentSection({ lang }: { lang: Language }) {
  const { patchSession } = useBoard()
  const mode = useWorkshop((s) => s.session.privateMode)
  const counts = useWorkshop((s) => s.session.privateCounts)
  const states = useAwarenessStates()
  const holders = privateHolders(mode, counts, states)
  return (
    <section className="arvo-ws-section" aria-labelledby="arvo-ws-silent" data-testid="silent-section">
      <h3 id="arvo-ws-silent" className="arvo-ws-head">{t(lang, 'wsSilentTitle')}</h3>
      <p className="arvo-ws-help">{t(lang, 'wsSilentHelp')}</p>
      {mode && (
        <p className="arvo-ws-state" data-testid="silent-state" data-status={mode.status}>
          {t(lang, mode.status === 'on' ? 'wsSilentStateOn' : 'wsSilentStateRevealed')}
        </p>
      )}
      <div className="arvo-ws-actions">
        {mode?.status === 'on' ? (
          <button type="button" className="arvo-primary arvo-compact" data-testid="silent-reveal" onClick={() => patchSession(revealPrivate(mode))}>
            {t(lang, 'wsSilentReveal')}
          </button>
        ) : (
          <button type="button" className="arvo-secondary arvo-compact" data-testid="silent-start" onClick={() => patchSession(startPrivate(serverNow()))}>
            {t(lang, 'wsSilentStart')}
          </button>
        )}
      </div>
      {mode && (
        holders.length === 0 ? (
          <p className="arvo-ws-muted" data-testid="private-nobody">{t(lang, 'wsNobodyPrivate')}</p>
        ) : (
          <ul className="arvo-ws-holders" data-testid="private-counts">
            {holders.map((h) => (
              <li key={h.personId} data-person={h.personId} data-count={h.count}>
                <span className={`arvo-ws-side-mark arvo-ws-side-mark-${h.side}`} aria-hidden="true" />
                <span className="arvo-ws-holder-name">{h.name}</span>
                <span className="arvo-ws-holder-count">{t(lang, 'wsPrivateCount', { count: h.count })}</span>
                {mode.status === 'revealed' && <span className="arvo-ws-pending" data-testid="private-pending">{t(lang, 'wsPending')}</span>}
              </li>
            ))}
          </ul>
        )
      )}
    </section>
  )
}

function VoteSection({ lang }: { lang: Language }) {
  const { patchSession } = useBoard()
  const editor = useEditor()
  const vote = useWorkshop((s) => s.session.vote)
  const progress = useWorkshop((s) => s.session.voteProgress)
  const result = useWorkshop((s) => s.session.voteResult)
  const items = useValue('arvo vote form templates', () => navigatorItems(templatesOnBoard(editor.getCurrentPageShapes()), lang), [editor, lang])
  const [dots, setDots] = useState('5')
  const [onePerNote, setOnePerNote] = useState(true)
  const [templates, setTemplates] = useState<string[]>([])
  const [minutes, setMinutes] = useState('')
  const [bad, setBad] = useState(false)
  const open = vote && vote.status === 'open' ? vote : null
  const start = () => {
    const options = voteOptionsFrom({ dots, onePerNote, templates: templates.filter((i) => items.some((x) => x.instance === i)), minutes })
    setBad(!options)
    if (options) patchSession(openVote(options, serverNow()))
  }
  return (
    <section className="arvo-ws-section" aria-labelledby="arvo-ws-vote" data-testid="vote-section">
      <h3 id="arvo-ws-vote" className="arvo-ws-head">{t(lang, 'wsVoteTitle')}</h3>
      {open ? (
        <>
          <p className="arvo-ws-state">{t(lang, 'wsVoteOpenEach', { dots: open.dots })}</p>
          <p className="arvo-ws-voters-live" data-testid="vote-voters" aria-live="polite">
            {t(lang, 'wsVoters', { count: progress?.voteId === open.id ? progress.voters : 0 })}
          </p>
          <button type="button" className="arvo-primary arvo-compact" data-testid="vote-close" onClick={() => patchSession(closeVote(open))}>
            {t(lang, 'wsVoteClose')}
          </button>
        </>
      ) : (
        <form
          className="arvo-ws-form"
          onSubmit={(e) => {
            e.preventDefault()
            start()
          }}
        >
          <label className="arvo-ws-field">
            <span>{t(lang, 'wsVoteDots')}</span>
            <input type="number" min={MIN_DOTS} max={MAX_DOTS} step={1} value={dots} data-testid="vote-dots" onChange={(e) => setDots(e.target.value)} />
          </label>
          <label className="arvo-ws-check">
            <input type="checkbox" checked={onePerNote} data-testid="vote-one-per-note" onChange={(e) => setOnePerNote(e.target.checked)} />
            <span>{t(lang, 'wsVoteOnePerNote')}</span>
          </label>
          {items.length > 0 && (
            <fieldset className="arvo-ws-templates">
              <legend>{t(lang, 'wsVoteTemplates')}</legend>
              {items.map((i) => (
                <label key={i.instance} className="arvo-ws-check" title={i.fullName}>
                  <input
                    type="checkbox"
                    data-testid={`vote-template-${i.instance}`}
                    checked={templates.includes(i.instance)}
                    onChange={(e) => setTemplates((list) => (e.target.checked ? [...list, i.instance] : list.filter((x) => x !== i.instance)))}
                  />
                  <span>{i.label}</span>
                </label>
              ))}
            </fieldset>
          )}
          <label className="arvo-ws-field">
            <span>{t(lang, 'wsVoteMinutes')}</span>
            <input type="number" min={1} max={480} step={1} value={minutes} data-testid="vote-minutes" onChange={(e) => setMinutes(e.target.value)} />
          </label>
          {bad && <p className="arvo-ws-error" role="alert">{t(lang, 'wsVoteBadInput')}</p>}
          <button type="submit" className="arvo-primary arvo-compact" data-testid="vote-start">
            {t(lang, 'wsVoteStart')}
          </button>
        </form>
      )}
      {result && !open && <ResultView result={result} lang={lang} />}
    </section>
  )
}

/** The facilitator's silent-ideas and dot-vote controls (WS-2), inside the facilitator panel. */
export function WorkshopSections() {
  const { access } = useBoard()
  const lang = useSession((s) => s.language)
  if (access.role !== 'facilitator') return null
  return (
    <div className="arvo-ws-sections" data-testid="workshop-sections" {...stopAll}>
      <SilentSection lang={lang} />
      <VoteSection lang={lang} />
    </div>
  )
}

// ---- canvas ------------------------------------------------------------------------------------

interface NoteBox {
  id: string
  x: number
  y: number
  w: number
  h: number
  scale: number
}

function useNoteBoxes(ids: (all: readonly unknown[]) => Iterable<string>, deps: unknown[]): NoteBox[] {
  const editor = useEditor()
  const json = useValue(
    'arvo workshop note boxes',
    () => {
      const shapes = editor.getCurrentPageShapes()
      const wanted = new Set(ids(shapes))
      const out: NoteBox[] = []
      for (const s of shapes) {
        if (s.type !== 'note' || !wanted.has(s.id)) continue
        const b = editor.getShapePageBounds(s)
        if (b) out.push({ id: s.id, x: b.x, y: b.y, w: b.w, h: b.h, scale: (s.props as { scale?: number }).scale ?? 1 })
      }
      return JSON.stringify(out)
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [editor, ...deps],
  )
  return JSON.parse(json) as NoteBox[]
}

const uiSize = (scale: number, px: number) => `max(${px * scale}px, calc(${px * 0.8}px / var(--tl-zoom, 1)))`

function PrivateMarks({ lang }: { lang: Language }) {
  const privateIds = useWorkshopUi((s) => s.privateIds)
  const boxes = useNoteBoxes(() => privateIds, [privateIds])
  return (
    <>
      {boxes.map((b) => (
        <div key={b.id} className="arvo-ws-private-mark" data-testid="private-mark" data-note={b.id} style={{ left: b.x + b.w / 2, top: b.y, fontSize: uiSize(b.scale, 16) }}>
          {t(lang, 'wsPrivateBadge')}
        </div>
      ))}
    </>
  )
}

function DotControls({ vote, lang }: { vote: VoteState; lang: Language }) {
  const credentials = useCredentials()
  const privateIds = useWorkshopUi((s) => s.privateIds)
  const ballot = useWorkshopUi((s) => (s.ballot?.voteId === vote.id ? s.ballot : null))
  const casting = useWorkshopUi((s) => s.casting)
  const templatesKey = JSON.stringify(vote.templates)
  const boxes = useNoteBoxes((shapes) => [...eligibleNoteIds(shapes, vote)].filter((id) => !privateIds.has(id)), [templatesKey, privateIds])
  const left = ballot?.left ?? vote.dots
  return (
    <>
      {boxes.map((b) => {
        const mine = ballot?.dots[b.id] ?? 0
        return (
          <div
            key={b.id}
            className="arvo-ws-dots"
            role="group"
            aria-label={t(lang, 'wsDotMine', { count: mine })}
            data-testid="dot-control"
            data-note={b.id}
            data-mine={mine}
            style={{ left: b.x + b.w, top: b.y + b.h, fontSize: uiSize(b.scale, 18) }}
            {...stopAll}
          >
            <button type="button" className="arvo-ws-dot-btn" aria-label={t(lang, 'wsDotRemove')} title={t(lang, 'wsDotRemove')} disabled={mine === 0 || casting !== null} data-testid="dot-remove" onClick={() => void cast(credentials, b.id, -1, lang)}>
              −
            </button>
            <span className="arvo-ws-dot-count" aria-hidden="true">
              {Array.from({ length: Math.min(mine, 5) }, (_, i) => <span key={i} className="arvo-ws-dot" />)}
              {mine > 5 ? `+${mine - 5}` : mine === 0 ? '0' : ''}
            </span>
            <button type="button" className={`arvo-ws-dot-btn${left === 0 ? ' arvo-ws-dot-spent' : ''}`} aria-label={t(lang, 'wsDotAdd')} title={t(lang, 'wsDotAdd')} disabled={casting !== null} data-testid="dot-add" onClick={() => void cast(credentials, b.id, 1, lang)}>
              +
            </button>
          </div>
        )
      })}
    </>
  )
}

function ResultDots({ result, lang }: { result: VoteResult; lang: Language }) {
  const byId = new Map(result.ranked.map((r) => [r.noteId, r]))
  const boxes = useNoteBoxes(() => byId.keys(), [result.voteId])
  return (
    <>
      {boxes.map((b) => {
        const tally = byId.get(b.id)!
        const label = SIDES.map((side: Side) => `${sideName(lang, side)}: ${t(lang, 'wsResultDots', { count: tally[side] })}`).join(', ')
        return (
          <div key={b.id} className="arvo-ws-result-dots" data-testid="result-dots" data-note={b.id} data-provider={tally.provider} data-customer={tally.customer} title={label} aria-label={label} role="img" style={{ left: b.x + b.w, top: b.y + b.h, fontSize: uiSize(b.scale, 16) }}>
            {SIDES.map((side) => (
              <span key={side} className={`arvo-ws-sidedot arvo-ws-sidedot-${side}`}>{tally[side]}</span>
            ))}
          </div>
        )
      })}
    </>
  )
}

/** Page-space marks: private notes, dot controls while a vote is open, dots per side after (WS-1, WS-3, WS-4). */
export function WorkshopCanvas() {
  const { access } = useBoard()
  const lang = useSession((s) => s.language)
  const vote = useWorkshop((s) => s.session.vote)
  const result = useWorkshop((s) => shownResult(s.session))
  const open = vote && vote.status === 'open' ? vote : null
  return (
    <>
      <PrivateMarks lang={lang} />
      {open && access.role === 'participant' && <DotControls vote={open} lang={lang} />}
      {result && <ResultDots result={result} lang={lang} />}
    </>
  )
}
