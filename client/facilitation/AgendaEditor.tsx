/**
 * The agenda in the facilitator panel (AGENDA-C1): load the ready-made value-workshop agenda,
 * add, remove, reorder and edit phases (name, minutes, what each switches on), and run it —
 * Start / Next phase / Finish apply `nextPhaseSteps` as two writes (the previous phase's modes
 * ended first, so a closed vote is tallied and a private round revealed before the next
 * begins). Edits are allowed before and during the session.
 */
import { useState } from 'react'
import {
  addPhase,
  blankPhase,
  emptyAgenda,
  movePhase,
  nextPhaseSteps,
  phaseName,
  removePhase,
  restartAgenda,
  updatePhase,
  valueWorkshopAgenda,
  MAX_PHASE_MINUTES,
} from '../../shared/facilitation/agenda.ts'
import { MAX_DOTS, MAX_PHASE_NAME, MAX_PHASES, MIN_DOTS, type AgendaPhase, type AgendaState } from '../../shared/facilitation/session.ts'
import { t, type Language } from '../../shared/i18n/index.ts'
import { useBoard } from '../board/context.ts'
import { useBoardTemplates } from './templates.ts'
import { serverNow, workshopStore, useWorkshop } from './store.ts'

function PhaseEditor({
  lang,
  phase,
  index,
  count,
  current,
  onChange,
  onMove,
  onRemove,
}: {
  lang: Language
  phase: AgendaPhase
  index: number
  count: number
  current: boolean
  onChange(changes: Partial<Omit<AgendaPhase, 'id'>>): void
  onMove(delta: number): void
  onRemove(): void
}) {
  const templates = useBoardTemplates(lang)
  const name = phaseName(phase, lang)
  const [draft, setDraft] = useState<string | null>(null)
  const commitName = () => {
    if (draft !== null && draft !== phase.name) onChange({ name: draft.trim() })
    setDraft(null)
  }
  const base = `arvo-phase-${phase.id}`
  return (
    <li className={`arvo-fac-phase${current ? ' is-current' : ''}`} data-testid="agenda-phase" data-phase={phase.id} aria-current={current ? 'step' : undefined}>
      <details>
        <summary className="arvo-fac-phase-summary">
          <span className="arvo-fac-phase-num">{index + 1}.</span>
          <span className="arvo-fac-phase-name" data-testid="agenda-phase-label">
            {name}
          </span>
          <span className="arvo-fac-phase-min">{phase.minutes > 0 ? t(lang, 'facMinutes', { count: phase.minutes }) : t(lang, 'facNoTimer')}</span>
          {current && <span className="arvo-fac-now">{t(lang, 'facAgendaNow')}</span>}
        </summary>
        <div className="arvo-fac-phase-body">
          <label className="arvo-fac-label" htmlFor={`${base}-name`}>
            <span>{t(lang, 'facAgendaName')}</span>
          </label>
          <input
            id={`${base}-name`}
            className="arvo-fac-input"
            data-testid="agenda-phase-name-input"
            maxLength={MAX_PHASE_NAME}
            placeholder={t(lang, 'facPhaseCustom')}
            value={draft ?? (phase.name || name)}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={commitName}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commitName()
              if (e.key === 'Escape') {
                e.stopPropagation()
                setDraft(null)
              }
            }}
          />
          <label className="arvo-fac-label">
            <span>{t(lang, 'facTimerMinutes')}</span>
            <input
              className="arvo-fac-input arvo-fac-number"
              type="number"
              min={0}
              max={MAX_PHASE_MINUTES}
              data-testid="agenda-phase-minutes"
              value={phase.minutes}
              onChange={(e) => onChange({ minutes: Number(e.target.value) })}
            />
          </label>
          <label className="arvo-fac-check">
            <input type="checkbox" data-testid="agenda-phase-private" checked={phase.private} onChange={(e) => onChange({ private: e.target.checked })} />
            <span>{t(lang, 'facAgendaPrivate')}</span>
          </label>
          <label className="arvo-fac-check">
            <input
              type="checkbox"
              data-testid="agenda-phase-vote"
              checked={phase.vote !== null}
              onChange={(e) => onChange({ vote: e.target.checked ? { dots: 3, onePerNote: true, templates: null } : null })}
            />
            <span>{t(lang, 'facAgendaVote')}</span>
          </label>
          {phase.vote && (
            <label className="arvo-fac-label arvo-fac-indent">
              <span>{t(lang, 'facAgendaDots')}</span>
              <input
                className="arvo-fac-input arvo-fac-number"
                type="number"
                min={MIN_DOTS}
                max={MAX_DOTS}
                data-testid="agenda-phase-dots"
                value={phase.vote.dots}
                onChange={(e) => onChange({ vote: { ...phase.vote!, dots: Number(e.target.value) } })}
              />
            </label>
          )}
          <label className="arvo-fac-check">
            <input type="checkbox" data-testid="agenda-phase-lock" checked={phase.lock} onChange={(e) => onChange({ lock: e.target.checked })} />
            <span>{t(lang, 'facAgendaLock')}</span>
          </label>
          <label className="arvo-fac-label">
            <span>{t(lang, 'facSpotlight')}</span>
            <select
              className="arvo-fac-select"
              data-testid="agenda-phase-spotlight"
              value={phase.spotlight ?? ''}
              onChange={(e) => onChange({ spotlight: e.target.value || null })}
            >
              <option value="">{t(lang, 'facAgendaNoSpotlight')}</option>
              {templates.map((x) => (
                <option key={x.instance} value={x.instance}>
                  {x.fullName}
                </option>
              ))}
              {phase.spotlight && !templates.some((x) => x.instance === phase.spotlight) && <option value={phase.spotlight}>{phase.spotlight}</option>}
            </select>
          </label>
          <div className="arvo-fac-buttons">
            <button className="arvo-icon-button arvo-fac-small-button" data-testid="agenda-phase-up" disabled={index === 0} aria-label={t(lang, 'facAgendaUp', { name })} title={t(lang, 'facAgendaUp', { name })} onClick={() => onMove(-1)}>
              ↑
            </button>
            <button className="arvo-icon-button arvo-fac-small-button" data-testid="agenda-phase-down" disabled={index === count - 1} aria-label={t(lang, 'facAgendaDown', { name })} title={t(lang, 'facAgendaDown', { name })} onClick={() => onMove(1)}>
              ↓
            </button>
            <button className="arvo-icon-button arvo-fac-small-button" data-testid="agenda-phase-remove" aria-label={t(lang, 'facAgendaRemove', { name })} title={t(lang, 'facAgendaRemove', { name })} onClick={onRemove}>
              ×
            </button>
          </div>
        </div>
      </details>
    </li>
  )
}

/**
 * "Next phase" (and Start / Finish): `nextPhaseSteps` on the session as it is now, applied as
 * two transactions — the old vote closed and the round revealed before the next phase replaces them.
 */
export function useAgendaStep(lang: Language): () => void {
  const { patchSession } = useBoard()
  const templates = useBoardTemplates(lang)
  return () => {
    const onBoard = new Set(templates.map((x) => x.instance))
    const steps = nextPhaseSteps(workshopStore.getState().session, serverNow(), { hasTemplate: (id) => onBoard.has(id) })
    if (!steps) return
    if (Object.keys(steps.end).length > 0) patchSession(steps.end)
    patchSession(steps.start)
  }
}

/** The label of the agenda's step button: Start, Next phase, or Finish on the last phase. */
export function stepLabel(lang: Language, agenda: AgendaState): string {
  const cur = agenda.current
  return t(lang, cur < 0 ? 'facAgendaStart' : cur === agenda.phases.length - 1 ? 'facAgendaFinish' : 'facAgendaNext')
}

/** At the top of the panel while an agenda runs: where the workshop is, and the step button. */
export function AgendaRunBar({ lang }: { lang: Language }) {
  const agenda = useWorkshop((s) => s.session.agenda)
  const step = useAgendaStep(lang)
  if (!agenda || agenda.phases.length === 0 || agenda.current >= agenda.phases.length) return null
  const phase = agenda.current >= 0 ? agenda.phases[agenda.current]! : null
  return (
    <div className="arvo-fac-runbar" data-testid="agenda-runbar">
      <span className="arvo-fac-runbar-where">
        {phase ? `${t(lang, 'facAgendaPhaseOf', { current: agenda.current + 1, total: agenda.phases.length })}: ${phaseName(phase, lang)}` : t(lang, 'facAgendaNotStarted')}
      </span>
      <button className="arvo-primary arvo-compact" data-testid="agenda-next-top" onClick={step}>
        {stepLabel(lang, agenda)}
      </button>
    </div>
  )
}

export function AgendaEditor({ lang }: { lang: Language }) {
  const { patchSession } = useBoard()
  const agenda = useWorkshop((s) => s.session.agenda)
  const templates = useBoardTemplates(lang)
  const step = useAgendaStep(lang)
  const [confirmReplace, setConfirmReplace] = useState(false)
  const write = (next: AgendaState | null) => patchSession({ agenda: next ?? undefined })
  const load = () => {
    write(valueWorkshopAgenda(undefined, templates.map((x) => ({ template: x.template, instance: x.instance }))))
    setConfirmReplace(false)
  }
  const phases = agenda?.phases ?? []
  const cur = agenda?.current ?? -1
  const finished = agenda !== null && cur >= phases.length
  const edit = (fn: (a: AgendaState) => AgendaState) => {
    const a = workshopStore.getState().session.agenda ?? emptyAgenda()
    const next = fn(a)
    if (next !== a) write(next)
  }
  return (
    <section className="arvo-fac-section" aria-labelledby="arvo-fac-agenda-h" data-testid="panel-agenda">
      <h3 className="arvo-fac-h" id="arvo-fac-agenda-h">
        {t(lang, 'facAgenda')}
      </h3>
      {phases.length === 0 && <p className="arvo-muted arvo-small">{t(lang, 'facAgendaEmpty')}</p>}
      {phases.length > 0 && (
        <ol className="arvo-fac-phases" data-testid="agenda-phases">
          {phases.map((p, i) => (
            <PhaseEditor
              key={p.id}
              lang={lang}
              phase={p}
              index={i}
              count={phases.length}
              current={i === cur}
              onChange={(c) => edit((a) => updatePhase(a, p.id, c))}
              onMove={(d) => edit((a) => movePhase(a, p.id, d))}
              onRemove={() => edit((a) => removePhase(a, p.id))}
            />
          ))}
        </ol>
      )}
      {phases.length > 0 && (
        <div className="arvo-fac-buttons">
          {!finished && (
            <button className="arvo-primary arvo-compact" data-testid="agenda-next" onClick={step}>
              {stepLabel(lang, agenda!)}
            </button>
          )}
          {cur >= 0 && (
            <button className="arvo-secondary" data-testid="agenda-restart" onClick={() => edit(restartAgenda)}>
              {t(lang, 'facAgendaRestart')}
            </button>
          )}
        </div>
      )}
      <div className="arvo-fac-buttons">
        <button
          className="arvo-secondary"
          data-testid="agenda-add"
          disabled={phases.length >= MAX_PHASES}
          onClick={() => edit((a) => addPhase(a, blankPhase()))}
        >
          {t(lang, 'facAgendaAdd')}
        </button>
        <button
          className="arvo-secondary"
          data-testid="agenda-load-value"
          onClick={() => (phases.length > 0 ? setConfirmReplace(true) : load())}
        >
          {t(lang, 'facAgendaLoadValue')}
        </button>
        {phases.length > 0 && (
          <button className="arvo-link-button" data-testid="agenda-clear" onClick={() => write(null)}>
            {t(lang, 'facAgendaClear')}
          </button>
        )}
      </div>
      {confirmReplace && (
        <div className="arvo-share-confirm" role="alertdialog" aria-labelledby="arvo-fac-replace">
          <p id="arvo-fac-replace">{t(lang, 'facAgendaReplaceConfirm')}</p>
          <div className="arvo-fac-buttons">
            <button className="arvo-primary arvo-compact" data-testid="agenda-replace-confirm" autoFocus onClick={load}>
              {t(lang, 'facAgendaLoadValue')}
            </button>
            <button className="arvo-secondary" onClick={() => setConfirmReplace(false)}>
              {t(lang, 'facTitleCancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  )
}
