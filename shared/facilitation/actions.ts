/**
 * The facilitator's actions as writes of the `session` map (pure): each returns a patch, key ->
 * new value (`undefined`: delete the key), that the facilitator's client applies in ONE Yjs
 * transaction (and a script can write the same way with a stock y-websocket client). The
 * facilitator panel, the agenda's "Next phase" and tests all use these, so there is one
 * meaning of "start a vote" or "reveal".
 *
 * `now` is the server's clock as the client estimates it (the server re-stamps running timers).
 */
import type { PrivateModeState, SessionState, TimerState, VoteState } from './session.ts'

/** Key -> value to write (undefined: delete). */
export type SessionPatch = Record<string, unknown>

/** A fresh id for a vote or a round (`SESSION_ID_PATTERN`). */
export function freshId(prefix: string, random: () => number = Math.random): string {
  return `${prefix}-${Math.floor(random() * 36 ** 8).toString(36).padStart(8, '0')}`
}

// ---- timer ----------------------------------------------------------------------------------

export function setTimer(minutes: number): SessionPatch {
  const ms = Math.round(minutes * 60_000)
  const timer: TimerState = { status: 'stopped', durationMs: ms, remainingMs: ms, endsAt: null }
  return { timer }
}

export function startTimer(timer: TimerState, now: number): SessionPatch {
  const remainingMs = timer.status === 'stopped' ? timer.durationMs : timer.remainingMs
  return { timer: { ...timer, status: 'running', remainingMs, endsAt: now + remainingMs } satisfies TimerState }
}

/** Sets and starts a timer of `minutes` in one write. */
export function runTimer(minutes: number, now: number): SessionPatch {
  const ms = Math.round(minutes * 60_000)
  return { timer: { status: 'running', durationMs: ms, remainingMs: ms, endsAt: now + ms } satisfies TimerState }
}

export function pauseTimer(timer: TimerState, now: number): SessionPatch {
  if (timer.status !== 'running' || timer.endsAt === null) return {}
  return { timer: { ...timer, status: 'paused', remainingMs: Math.max(0, timer.endsAt - now), endsAt: null } satisfies TimerState }
}

/** Adds a minute (to the time left, and to the duration when it would pass it). */
export function addMinute(timer: TimerState, now: number): SessionPatch {
  const left = timer.status === 'running' && timer.endsAt !== null ? Math.max(0, timer.endsAt - now) : timer.remainingMs
  const remainingMs = left + 60_000
  const durationMs = Math.max(timer.durationMs, remainingMs)
  const endsAt = timer.status === 'running' ? now + remainingMs : null
  return { timer: { ...timer, status: timer.status === 'stopped' ? 'paused' : timer.status, durationMs, remainingMs, endsAt } satisfies TimerState }
}

export function stopTimer(): SessionPatch {
  return { timer: undefined }
}

// ---- private mode ---------------------------------------------------------------------------

export function startPrivate(now: number, random?: () => number): SessionPatch {
  const privateMode: PrivateModeState = { status: 'on', round: freshId('round', random), since: now }
  return { privateMode }
}

/** Reveal: everyone's private notes of the round are published (clients do it when they see this). */
export function revealPrivate(mode: PrivateModeState | null): SessionPatch {
  if (!mode || mode.status !== 'on') return {}
  return { privateMode: { ...mode, status: 'revealed' } satisfies PrivateModeState }
}

// ---- voting ---------------------------------------------------------------------------------

export interface VoteOptions {
  dots: number
  onePerNote: boolean
  templates: string[] | null
  /** A time limit: the timer is set and started, and the vote closes by itself at its end. */
  minutes?: number
}

export function openVote(options: VoteOptions, now: number, random?: () => number): SessionPatch {
  const limitMs = options.minutes ? Math.round(options.minutes * 60_000) : 0
  const vote: VoteState = {
    id: freshId('vote', random),
    status: 'open',
    dots: options.dots,
    onePerNote: options.onePerNote,
    templates: options.templates,
    endsAt: limitMs > 0 ? now + limitMs : null,
  }
  return limitMs > 0 ? { vote, ...runTimer(options.minutes!, now) } : { vote }
}

/** Close: the server tallies the ballots into `voteResult`. */
export function closeVote(vote: VoteState | null): SessionPatch {
  if (!vote || vote.status !== 'open') return {}
  return { vote: { ...vote, status: 'closed' } satisfies VoteState }
}

// ---- focus ----------------------------------------------------------------------------------

export function bringEveryone(personId: string, now: number): SessionPatch {
  return { followMe: { personId, since: now } }
}
export function releaseEveryone(): SessionPatch {
  return { followMe: undefined }
}
export function spotlightOn(instance: string, zone: string | null, now: number): SessionPatch {
  return { spotlight: { instance, zone, since: now } }
}
export function spotlightOff(): SessionPatch {
  return { spotlight: undefined }
}

/** What ends when the current modes end (used by "Next phase"): reveal, close, unlock, release. */
export function endModes(state: SessionState): SessionPatch {
  return {
    ...revealPrivate(state.privateMode),
    ...closeVote(state.vote),
    ...(state.boardLocked ? { boardLocked: undefined } : {}),
    ...(state.spotlight ? spotlightOff() : {}),
  }
}
