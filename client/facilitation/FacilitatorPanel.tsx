/**
 * The facilitator's panel (FAC-C1), under the participants panel, for the facilitator role only:
 * board title, timer, the workshop sections (silent ideas, voting: `client/workshop`), focus
 * (bring everyone, spotlight), the board lock, the agenda. Every control writes the `session`
 * map through `shared/facilitation`'s actions with the server's clock (`serverNow()`); the
 * server enforces who may. Collapsible; open or closed is remembered in this browser.
 */
import { useState, type FormEvent, type KeyboardEvent } from 'react'
import {
  addMinute,
  bringEveryone,
  pauseTimer,
  releaseEveryone,
  setTimer,
  spotlightOff,
  spotlightOn,
  startTimer,
  stopTimer,
} from '../../shared/facilitation/actions.ts'
import { isTitle, MAX_TIMER_MS, MAX_TITLE_LENGTH, timerRemaining } from '../../shared/facilitation/session.ts'
import { templateZones, zoneLabel, type TemplateKind } from '../../shared/domain/index.ts'
import { t, type Language } from '../../shared/i18n/index.ts'
import { CollapseButton } from '../board/CollapseButton.tsx'
import { useBoard } from '../board/context.ts'
import { useBoardTemplates } from './templates.ts'
import { useSession } from '../state/session.ts'
import { WorkshopSections } from '../workshop/index.tsx'
import { AgendaEditor, AgendaRunBar } from './AgendaEditor.tsx'
import { useServerNow } from './clock.ts'
import { readPanelOpen, writePanelOpen } from './prefs.ts'
import { serverNow, useWorkshop } from './store.ts'
import { formatRemaining } from './timerView.ts'
import { cleanTitle } from './title.ts'

export const TIMER_PRESETS = [1, 3, 5, 10, 15] as const
const MAX_TIMER_MINUTES = MAX_TIMER_MS / 60_000

function TitleSection({ lang }: { lang: Language }) {
  const { patchSession } = useBoard()
  const title = useWorkshop((s) => s.session.title)
  const [draft, setDraft] = useState<string | null>(null)
  const [error, setError] = useState(false)
  const save = (e?: FormEvent) => {
    e?.preventDefault()
    if (draft === null) return
    const clean = cleanTitle(draft)
    if (!isTitle(clean)) {
      setError(true)
      return
    }
    if (clean !== title) patchSession({ title: clean })
    setDraft(null)
    setError(false)
  }
  const cancel = () => {
    setDraft(null)
    setError(false)
  }
  if (draft === null) {
    return (
      <section className="arvo-fac-section" aria-labelledby="arvo-fac-title-h">
        <h3 className="arvo-fac-h" id="arvo-fac-title-h">
          {t(lang, 'facTitle')}
        </h3>
        <div className="arvo-fac-row">
          <span className={`arvo-fac-title-value${title ? '' : ' arvo-muted'}`} data-testid="panel-title">
            {title ?? t(lang, 'facTitleUntitled')}
          </span>
          <button className="arvo-secondary" data-testid="title-rename" onClick={() => setDraft(title ?? '')}>
            {t(lang, 'facTitleRename')}
          </button>
        </div>
      </section>
    )
  }
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation()
      cancel()
    }
  }
  return (
    <section className="arvo-fac-section" aria-labelledby="arvo-fac-title-h">
      <h3 className="arvo-fac-h" id="arvo-fac-title-h">
        {t(lang, 'facTitle')}
      </h3>
      <form className="arvo-fac-col" onSubmit={save}>
        <input
          className="arvo-fac-input"
          data-testid="title-input"
          aria-label={t(lang, 'facTitle')}
          aria-describedby="arvo-fac-title-hint"
          aria-invalid={error}
          maxLength={MAX_TITLE_LENGTH}
          value={draft}
          autoFocus
          onKeyDown={onKey}
          onChange={(e) => {
            setDraft(e.target.value)
            setError(false)
          }}
        />
        <p className={error ? 'arvo-error arvo-small' : 'arvo-muted arvo-small'} id="arvo-fac-title-hint" data-testid="title-hint">
          {error ? t(lang, 'facTitleEmpty') : t(lang, 'facTitleHint', { max: MAX_TITLE_LENGTH })}
        </p>
        <div className="arvo-fac-buttons">
          <button type="submit" className="arvo-primary arvo-compact" data-testid="title-save">
            {t(lang, 'facTitleSave')}
          </button>
          <button type="button" className="arvo-secondary" data-testid="title-cancel" onClick={cancel}>
            {t(lang, 'facTitleCancel')}
          </button>
        </div>
      </form>
    </section>
  )
}

function TimerSection({ lang }: { lang: Language }) {
  const { patchSession } = useBoard()
  const timer = useWorkshop((s) => s.session.timer)
  const now = useServerNow(timer?.status === 'running')
  const [minutes, setMinutes] = useState('')
  const free = Number(minutes.replace(',', '.'))
  const freeOk = minutes.trim() !== '' && Number.isFinite(free) && free > 0 && free <= MAX_TIMER_MINUTES
  const setFree = (e: FormEvent) => {
    e.preventDefault()
    if (!freeOk) return
    patchSession(setTimer(Math.round(free * 60) / 60))
    setMinutes('')
  }
  return (
    <section className="arvo-fac-section" aria-labelledby="arvo-fac-timer-h" data-testid="panel-timer">
      <div className="arvo-fac-row">
        <h3 className="arvo-fac-h" id="arvo-fac-timer-h">
          {t(lang, 'facTimer')}
        </h3>
        {timer && (
          <span className="arvo-fac-panel-clock" data-testid="panel-timer-clock" data-status={timer.status}>
            {formatRemaining(timerRemaining(timer, now))}
          </span>
        )}
      </div>
      <div className="arvo-fac-presets" role="group" aria-label={t(lang, 'facTimerPresets')}>
        {TIMER_PRESETS.map((m) => (
          <button
            key={m}
            className="arvo-seg"
            data-testid={`timer-preset-${m}`}
            aria-label={t(lang, 'facTimerSetTo', { count: m })}
            title={t(lang, 'facTimerSetTo', { count: m })}
            onClick={() => patchSession(setTimer(m))}
          >
            {m}
          </button>
        ))}
      </div>
      <form className="arvo-fac-row arvo-fac-free" onSubmit={setFree}>
        <label className="arvo-fac-label">
          <span>{t(lang, 'facTimerMinutes')}</span>
          <input
            className="arvo-fac-input arvo-fac-number"
            data-testid="timer-minutes"
            inputMode="decimal"
            value={minutes}
            aria-invalid={minutes.trim() !== '' && !freeOk}
            onChange={(e) => setMinutes(e.target.value)}
          />
        </label>
        <button type="submit" className="arvo-secondary" data-testid="timer-set" disabled={!freeOk}>
          {t(lang, 'facTimerSet')}
        </button>
      </form>
      {timer && (
        <div className="arvo-fac-buttons">
          {timer.status === 'running' ? (
            <button className="arvo-secondary" data-testid="timer-pause" onClick={() => patchSession(pauseTimer(timer, serverNow()))}>
              {t(lang, 'facTimerPause')}
            </button>
          ) : (
            <button
              className="arvo-primary arvo-compact"
              data-testid={timer.status === 'paused' ? 'timer-resume' : 'timer-start'}
              disabled={timer.status === 'stopped' && timer.durationMs === 0}
              onClick={() => patchSession(startTimer(timer, serverNow()))}
            >
              {t(lang, timer.status === 'paused' ? 'facTimerResume' : 'facTimerStart')}
            </button>
          )}
          <button
            className="arvo-secondary"
            data-testid="timer-add-minute"
            aria-label={t(lang, 'facTimerAddMinuteLabel')}
            title={t(lang, 'facTimerAddMinuteLabel')}
            disabled={timer.remainingMs + 60_000 > MAX_TIMER_MS}
            onClick={() => patchSession(addMinute(timer, serverNow()))}
          >
            {t(lang, 'facTimerAddMinute')}
          </button>
          <button className="arvo-secondary" data-testid="timer-stop" onClick={() => patchSession(stopTimer())}>
            {t(lang, 'facTimerStop')}
          </button>
        </div>
      )}
    </section>
  )
}

function FocusSection({ lang }: { lang: Language }) {
  const { patchSession, identity } = useBoard()
  const followMe = useWorkshop((s) => s.session.followMe)
  const spotlight = useWorkshop((s) => s.session.spotlight)
  const templates = useBoardTemplates(lang)
  const [chosen, setChosen] = useState<string>('')
  const [zone, setZone] = useState<string>('')
  const instance = templates.some((x) => x.instance === chosen) ? chosen : (templates[0]?.instance ?? '')
  const kind: TemplateKind | null = templates.find((x) => x.instance === instance)?.template ?? null
  const zones = kind ? templateZones(kind) : []
  const zoneOk = zones.some((z) => z.id === zone) ? zone : ''
  const spotName = (() => {
    if (!spotlight) return null
    const item = templates.find((x) => x.instance === spotlight.instance)
    const base = item?.fullName ?? spotlight.instance
    const z = spotlight.zone && item ? zoneLabel(item.template, spotlight.zone, lang) : null
    return z ? `${base} – ${z}` : base
  })()
  const mine = followMe?.personId === identity.id
  return (
    <section className="arvo-fac-section" aria-labelledby="arvo-fac-focus-h" data-testid="panel-focus">
      <h3 className="arvo-fac-h" id="arvo-fac-focus-h">
        {t(lang, 'facFocus')}
      </h3>
      <div className="arvo-fac-buttons">
        <button
          className={`arvo-secondary${followMe ? ' is-on' : ''}`}
          data-testid="bring-everyone"
          aria-pressed={!!followMe && mine}
          onClick={() => patchSession(bringEveryone(identity.id, serverNow()))}
        >
          {t(lang, followMe && mine ? 'facBringAgain' : 'facBringEveryone')}
        </button>
        {followMe && (
          <button className="arvo-secondary" data-testid="release-everyone" onClick={() => patchSession(releaseEveryone())}>
            {t(lang, 'facRelease')}
          </button>
        )}
      </div>
      {followMe && mine && (
        <p className="arvo-muted arvo-small" data-testid="everyone-follows">
          {t(lang, 'facEveryoneFollows')}
        </p>
      )}
      <h4 className="arvo-fac-h4">{t(lang, 'facSpotlight')}</h4>
      {templates.length === 0 ? (
        <p className="arvo-muted arvo-small">{t(lang, 'facSpotlightNoTemplates')}</p>
      ) : (
        <>
          <label className="arvo-fac-label">
            <span>{t(lang, 'facSpotlightTemplate')}</span>
            <select className="arvo-fac-select" data-testid="spotlight-template" value={instance} onChange={(e) => setChosen(e.target.value)}>
              {templates.map((x) => (
                <option key={x.instance} value={x.instance}>
                  {x.fullName}
                </option>
              ))}
            </select>
          </label>
          {zones.length > 0 && (
            <label className="arvo-fac-label">
              <span>{t(lang, 'facSpotlightZone')}</span>
              <select className="arvo-fac-select" data-testid="spotlight-zone" value={zoneOk} onChange={(e) => setZone(e.target.value)}>
                <option value="">{t(lang, 'facSpotlightWhole')}</option>
                {zones.map((z) => (
                  <option key={z.id} value={z.id}>
                    {zoneLabel(kind!, z.id, lang) ?? z.id}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div className="arvo-fac-buttons">
            <button
              className={`arvo-secondary${spotlight ? ' is-on' : ''}`}
              data-testid="spotlight-on"
              disabled={!instance}
              onClick={() => patchSession(spotlightOn(instance, zoneOk || null, serverNow()))}
            >
              {t(lang, 'facSpotlightOn')}
            </button>
            {spotlight && (
              <button className="arvo-secondary" data-testid="spotlight-off" onClick={() => patchSession(spotlightOff())}>
                {t(lang, 'facSpotlightOff')}
              </button>
            )}
          </div>
          {spotName && (
            <p className="arvo-small" data-testid="spotlight-active">
              {t(lang, 'facSpotlightActive', { name: spotName })}
            </p>
          )}
        </>
      )}
    </section>
  )
}

/** "Lock board" (moved here from the top bar; ROLE-C3): `session.boardLocked`. */
function LockSection({ lang }: { lang: Language }) {
  const { setSessionFlag } = useBoard()
  const locked = useSession((s) => s.sessionFlags.boardLocked)
  return (
    <section className="arvo-fac-section" aria-labelledby="arvo-fac-lock-h">
      <h3 className="arvo-fac-h" id="arvo-fac-lock-h">
        {t(lang, 'facLock')}
      </h3>
      <button
        className={`arvo-secondary${locked ? ' is-on' : ''}`}
        data-testid="board-lock-toggle"
        data-locked={locked}
        aria-pressed={locked}
        aria-describedby="arvo-fac-lock-hint"
        onClick={() => setSessionFlag('boardLocked', !locked)}
      >
        {t(lang, locked ? 'unlockBoard' : 'lockBoard')}
      </button>
      <p className="arvo-muted arvo-small" id="arvo-fac-lock-hint">
        {t(lang, 'lockBoardHint')}
      </p>
    </section>
  )
}

export function FacilitatorPanel() {
  const { access } = useBoard()
  const lang = useSession((s) => s.language)
  const [open, setOpenState] = useState(readPanelOpen)
  const setOpen = (o: boolean) => {
    writePanelOpen(o)
    setOpenState(o)
  }
  if (access.role !== 'facilitator') return null
  if (!open) {
    return (
      <button
        className="arvo-panel arvo-collapsed-bar arvo-fac-collapsed"
        data-testid="facilitator-show"
        aria-expanded={false}
        aria-label={t(lang, 'facShow')}
        title={t(lang, 'facShow')}
        onClick={() => setOpen(true)}
      >
        <span>{t(lang, 'facTools')}</span>
      </button>
    )
  }
  return (
    <div className="arvo-collapsible arvo-fac-wrap">
      <section className="arvo-panel arvo-fac-panel" data-testid="facilitator-panel" aria-labelledby="arvo-fac-h">
        <h2 className="arvo-panel-title" id="arvo-fac-h">
          {t(lang, 'facTools')}
        </h2>
        <AgendaRunBar lang={lang} />
        <div className="arvo-fac-body">
          <TitleSection lang={lang} />
          <TimerSection lang={lang} />
          <WorkshopSections />
          <FocusSection lang={lang} />
          <LockSection lang={lang} />
          <AgendaEditor lang={lang} />
        </div>
      </section>
      <CollapseButton label={t(lang, 'facHide')} testId="facilitator-hide" onClick={() => setOpen(false)} />
    </div>
  )
}
