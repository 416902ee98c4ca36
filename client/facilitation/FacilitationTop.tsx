/**
 * What everyone sees of the facilitation in the top centre (TITLE-C1, TIMER-C1/C2, AGENDA-C2,
 * FOLLOW-C1): the board title (also the tab's title), the shared timer, the agenda strip, and
 * a "you are following" line with a way out. Compact: one wrapping row, never wider than the
 * top centre.
 */
import { useEffect, useRef, useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { timerRemaining } from '../../shared/facilitation/session.ts'
import { phaseName } from '../../shared/facilitation/agenda.ts'
import { t, type Language } from '../../shared/i18n/index.ts'
import { useSession } from '../state/session.ts'
import { useServerNow } from './clock.ts'
import { readSound, writeSound } from './prefs.ts'
import { useWorkshop } from './store.ts'
import { announcement, formatRemaining, timerStage, type TimerStage } from './timerView.ts'

const APP_TITLE = 'Arvo'

/** Keeps `document.title` as "<title> · Arvo" while the board has a title. */
function useDocumentTitle(title: string | null) {
  useEffect(() => {
    document.title = title ? `${title} · ${APP_TITLE}` : APP_TITLE
  }, [title])
  useEffect(
    () => () => {
      document.title = APP_TITLE
    },
    [],
  )
}

/** A short, soft two-tone chime (WebAudio; nothing when the browser refuses audio). */
function chime(): void {
  try {
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext
    if (!Ctx) return
    const ctx = new Ctx()
    const tone = (freq: number, at: number) => {
      const osc = ctx.createOscillator()
      const gain = ctx.createGain()
      osc.type = 'sine'
      osc.frequency.value = freq
      gain.gain.setValueAtTime(0.0001, ctx.currentTime + at)
      gain.gain.exponentialRampToValueAtTime(0.15, ctx.currentTime + at + 0.03)
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + at + 0.6)
      osc.connect(gain).connect(ctx.destination)
      osc.start(ctx.currentTime + at)
      osc.stop(ctx.currentTime + at + 0.65)
    }
    tone(660, 0)
    tone(880, 0.25)
    setTimeout(() => void ctx.close(), 1500)
  } catch {
    // no audio: the visual signal remains
  }
}

/** The shared timer: m:ss against the server's clock, a gentle signal at zero, two announcements. */
export function TimerBadge({ lang }: { lang: Language }) {
  const timer = useWorkshop((s) => s.session.timer)
  const now = useServerNow(timer?.status === 'running')
  const stage: TimerStage = timerStage(timer, now)
  const [said, setSaid] = useState('')
  const [sound, setSound] = useState(readSound)
  const prev = useRef<TimerStage | null>(null)
  useEffect(() => {
    const what = announcement(prev.current, stage)
    prev.current = stage
    if (!what) return
    setSaid(t(lang, what === 'up' ? 'facTimerUp' : 'facTimerOneMinute'))
    if (what === 'up' && sound) chime()
  }, [stage, lang, sound])
  // The live region stays mounted (announcements need an existing region).
  const live = (
    <span className="arvo-visually-hidden" aria-live="polite" role="status" data-testid="timer-announcement">
      {said}
    </span>
  )
  if (!timer) return live
  const left = timerRemaining(timer, now)
  const toggleSound = () => {
    writeSound(!sound)
    setSound(!sound)
  }
  const status = stage === 'paused' ? t(lang, 'facTimerPaused') : stage === 'stopped' ? t(lang, 'facTimerSetNotStarted') : null
  return (
    <span className={`arvo-fac-timer is-${stage}`} data-testid="timer" data-stage={stage} data-remaining={Math.ceil(left / 1000)}>
      <span role="timer" aria-label={t(lang, 'facTimerLeft')} className="arvo-fac-timer-clock" data-testid="timer-clock">
        {formatRemaining(left)}
      </span>
      {status && <span className="arvo-fac-timer-status">{status}</span>}
      {stage === 'up' && <span className="arvo-fac-timer-status">{t(lang, 'facTimerUp')}</span>}
      <button
        className="arvo-icon-button arvo-fac-sound"
        data-testid="timer-sound"
        aria-pressed={sound}
        aria-label={t(lang, 'facTimerSound')}
        title={`${t(lang, 'facTimerSound')}: ${t(lang, sound ? 'facTimerSoundOn' : 'facTimerSoundOff')}`}
        onClick={toggleSound}
      >
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden>
          <path d="M2.5 6h2.5l3.5-3v10l-3.5-3h-2.5z" fill="currentColor" />
          {sound ? (
            <path d="M11 5.5a3.5 3.5 0 0 1 0 5M12.8 3.8a6 6 0 0 1 0 8.4" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
          ) : (
            <path d="M11 6l3.5 4M14.5 6l-3.5 4" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
          )}
        </svg>
      </button>
      {live}
    </span>
  )
}

/** The agenda strip: one mark per phase (the current one highlighted), "Phase 2 of 5" and its name. */
export function AgendaStrip({ lang }: { lang: Language }) {
  const agenda = useWorkshop((s) => s.session.agenda)
  if (!agenda || agenda.phases.length === 0) return null
  const total = agenda.phases.length
  const cur = agenda.current
  const phase = cur >= 0 && cur < total ? agenda.phases[cur]! : null
  const where = phase
    ? t(lang, 'facAgendaPhaseOf', { current: cur + 1, total })
    : cur >= total
      ? t(lang, 'facAgendaDone')
      : t(lang, 'facAgendaNotStarted')
  return (
    <nav className="arvo-fac-agenda" aria-label={t(lang, 'facAgendaStrip')} data-testid="agenda-strip" data-current={cur}>
      <ol className="arvo-fac-agenda-marks">
        {agenda.phases.map((p, i) => (
          <li
            key={p.id}
            className={i === cur ? 'is-current' : i < cur ? 'is-done' : ''}
            aria-current={i === cur ? 'step' : undefined}
            title={`${i + 1}. ${phaseName(p, lang)}`}
          >
            <span className="arvo-visually-hidden">{`${i + 1}. ${phaseName(p, lang)}`}</span>
          </li>
        ))}
      </ol>
      <span className="arvo-fac-agenda-where" data-testid="agenda-where">
        {where}
      </span>
      {phase && (
        <span className="arvo-fac-agenda-name" data-testid="agenda-phase-name">
          {phaseName(phase, lang)}
        </span>
      )}
    </nav>
  )
}

/** "You are following …" with "Stop following" (tldraw stops by itself when this person moves the camera). */
function FollowingLine({ lang }: { lang: Language }) {
  const editor = useEditor()
  const following = useValue('arvo following', () => editor.getInstanceState().followingUserId, [editor])
  const followMe = useWorkshop((s) => s.session.followMe)
  const people = useSession((s) => s.participants)
  if (!following) return null
  const person = people.find((p) => `user:${p.userId}` === following)
  const text =
    followMe && following === `user:${followMe.personId}`
      ? t(lang, 'facFollowingFacilitator')
      : t(lang, 'facFollowingPerson', { name: person?.name ?? '…' })
  return (
    <div className="arvo-fac-following" role="status" data-testid="following-banner" data-following={following}>
      <span>{text}</span>
      <button className="arvo-secondary arvo-compact" data-testid="stop-following" onClick={() => editor.stopFollowingUser()}>
        {t(lang, 'facStopFollowing')}
      </button>
    </div>
  )
}

export function FacilitationTop() {
  const lang = useSession((s) => s.language)
  const title = useWorkshop((s) => s.session.title)
  const hasTimer = useWorkshop((s) => s.session.timer !== null)
  const hasAgenda = useWorkshop((s) => (s.session.agenda?.phases.length ?? 0) > 0)
  useDocumentTitle(title)
  return (
    <>
      <div className={`arvo-fac-top${title || hasTimer || hasAgenda ? '' : ' is-empty'}`} data-testid="facilitation-top">
        {title && (
          <h1 className="arvo-fac-title" data-testid="board-title" title={title}>
            {title}
          </h1>
        )}
        <TimerBadge lang={lang} />
        <AgendaStrip lang={lang} />
      </div>
      <FollowingLine lang={lang} />
    </>
  )
}
