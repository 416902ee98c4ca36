/**
 * The facilitation contract (issue 11): every key of the doc's `session` map, the shape of its
 * value, who writes it, and the validators the server's policy runs on each write
 * (shared/policy `checkSessionWrite`). README's "Session map" section documents the same.
 *
 * Two kinds of keys:
 * - **facilitator keys** (`FACILITATOR_KEYS`): written by a facilitator connection (or a script
 *   holding a facilitator token), checked against their validator (4003 when ill-formed);
 * - **server keys** (`SERVER_KEYS`): written by the server only (vote progress and results,
 *   private-note counts); every client write of them is refused (4403), the facilitator's too.
 *
 * Times are the **server's** epoch milliseconds (`Date.now()` on the server). Clients convert
 * with their measured clock offset (`GET /api/time`), never with their own clock alone.
 *
 * Pure and DOM-free.
 */
import { isSide, type Side } from '../protocol.ts'

/** Longest board title (characters, after trimming). */
export const MAX_TITLE_LENGTH = 120
/** Longest timer (ms): 8 hours. */
export const MAX_TIMER_MS = 8 * 60 * 60 * 1000
/** Dots per person a vote may give (inclusive range). */
export const MIN_DOTS = 1
export const MAX_DOTS = 20
/** Most phases an agenda may hold. */
export const MAX_PHASES = 30
/** Longest phase or ready-made name. */
export const MAX_PHASE_NAME = 80
/** Ids used in the session map (vote ids, rounds, phase ids): 1–40 characters of `A-Z a-z 0-9 _ -`. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/

/**
 * `session.timer`. One shared countdown.
 * - `running`: `endsAt` is the server time it reaches zero; `remainingMs` is what was left when
 *   it was (re)started. **The server rewrites `endsAt` to its own `now + remainingMs`** on every
 *   write of a running timer (a correction, so a facilitator whose clock is off starts it right).
 *   Past `endsAt` the timer shows 0:00 and the "time is up" signal; nothing is blocked.
 * - `paused`: `remainingMs` left; `endsAt` null.
 * - `stopped`: back to `durationMs` (or absent key: no timer shown).
 * `durationMs` is what it was set to (for "reset" and the progress ring).
 */
export interface TimerState {
  status: 'running' | 'paused' | 'stopped'
  durationMs: number
  remainingMs: number
  endsAt: number | null
}

/**
 * `session.privateMode`: silent ideas. `on`: participants' new notes stay on their device
 * (never sent) tagged with `round`. `revealed`: the facilitator revealed `round`; every client
 * holding private notes publishes them (at once, or when it next connects). Absent: off, and
 * any private note a client still holds is published.
 */
export interface PrivateModeState {
  status: 'on' | 'revealed'
  round: string
  /** Server time the round began. */
  since: number
}

/**
 * `session.vote`: the current or last dot vote. Ballots never enter the doc: participants cast
 * dots through `POST /api/boards/<id>/votes`; the server keeps them until the vote closes.
 * The facilitator opens a vote by writing `status: 'open'` with a fresh `id`, and closes it by
 * writing the same vote with `status: 'closed'`: the server then tallies the ballots into
 * `session.voteResult` and forgets them.
 */
export interface VoteState {
  id: string
  status: 'open' | 'closed'
  /** Dots each voter has. */
  dots: number
  /** At most one dot per note and voter. */
  onePerNote: boolean
  /** Only notes inside these template instances (ids) may get dots; null: every note. */
  templates: string[] | null
  /** Server time the vote closes by itself (a time limit through the timer), or null. */
  endsAt: number | null
}

/** `session.voteProgress` (server key): how many people have cast at least one dot in the open vote. */
export interface VoteProgress {
  voteId: string
  voters: number
}

/** Dots one note got, split by the voters' side. */
export interface NoteTally {
  noteId: string
  provider: number
  customer: number
  total: number
}

/** `session.voteResult` (server key): the closed vote, tallied by the server. */
export interface VoteResult {
  voteId: string
  /** Server time of the close. */
  closedAt: number
  dots: number
  /** How many people voted, per side. */
  voters: Record<Side, number>
  /** Every note that got a dot, ranked: most dots first (ties: more sides agreeing, then note id). */
  ranked: NoteTally[]
  /**
   * The notes the sides disagree on most: |provider share − customer share| of the dots each
   * side cast, largest first (at most 5, gap > 0). `gap` is that difference in [0, 1].
   */
  disagreements: Array<NoteTally & { gap: number }>
}

/** One person's private-note count as `session.privateCounts` holds it (server key). */
export interface PrivateCount {
  name: string
  side: Side
  round: string
  count: number
}

/** `session.followMe`: everyone (but the facilitator) follows this person's view until they move away themselves. */
export interface FollowMeState {
  /** The facilitator's person id (awareness `user.id`). */
  personId: string
  /** Server time it was asked (a new request re-applies for those who moved away). */
  since: number
}

/** `session.spotlight`: everyone is taken to one template (or one zone of it); the rest is dimmed. */
export interface SpotlightState {
  instance: string
  /** A zone id of that template, or null for the whole template. */
  zone: string | null
  since: number
}

/** Ready-made phase names (drawn in each viewer's language). */
export const PHASE_PRESETS = ['silentIdeas', 'discuss', 'vote', 'rateStaircase', 'actionPlan', 'custom'] as const
export type PhasePreset = (typeof PHASE_PRESETS)[number]

/** One phase of the agenda: what "Next phase" switches on when it starts. */
export interface AgendaPhase {
  id: string
  /** The facilitator's own name; empty: the preset's localized name. */
  name: string
  preset: PhasePreset
  /** Timer set and started for this many minutes (0: no timer). */
  minutes: number
  /** Private mode (silent ideas) during this phase; revealed when it ends. */
  private: boolean
  /** A dot vote during this phase; closed when it ends. Null: none. */
  vote: { dots: number; onePerNote: boolean; templates: string[] | null } | null
  /** Board locked during this phase. */
  lock: boolean
  /** Spotlight on this template instance during this phase (null: none). */
  spotlight: string | null
}

/** `session.agenda`: the phases and where the workshop is (`current` −1: not started; = length: finished). */
export interface AgendaState {
  phases: AgendaPhase[]
  current: number
}

// ---------------------------------------------------------------------------------------------
// validators (each: is `v` an allowed value of its key?)

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isId = (v: unknown): v is string => typeof v === 'string' && SESSION_ID_PATTERN.test(v)
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 8.64e15
const isMs = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_TIMER_MS
const hasOnly = (o: Record<string, unknown>, keys: readonly string[]) => Object.keys(o).every((k) => keys.includes(k))
const isTemplateList = (v: unknown) => v === null || (Array.isArray(v) && v.length <= 50 && v.every(isId))

export function isTitle(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0 && v.length <= MAX_TITLE_LENGTH && v === v.trim() && !/[\u0000-\u001f]/.test(v)
}

export function isTimerState(v: unknown): v is TimerState {
  if (!isObj(v) || !hasOnly(v, ['status', 'durationMs', 'remainingMs', 'endsAt'])) return false
  if (!isMs(v.durationMs) || !isMs(v.remainingMs)) return false
  if (v.status === 'running') return isTime(v.endsAt)
  if (v.status === 'paused' || v.status === 'stopped') return v.endsAt === null
  return false
}

export function isPrivateModeState(v: unknown): v is PrivateModeState {
  return isObj(v) && hasOnly(v, ['status', 'round', 'since']) && (v.status === 'on' || v.status === 'revealed') && isId(v.round) && isTime(v.since)
}

export function isVoteState(v: unknown): v is VoteState {
  if (!isObj(v) || !hasOnly(v, ['id', 'status', 'dots', 'onePerNote', 'templates', 'endsAt'])) return false
  return (
    isId(v.id) &&
    (v.status === 'open' || v.status === 'closed') &&
    Number.isInteger(v.dots) &&
    (v.dots as number) >= MIN_DOTS &&
    (v.dots as number) <= MAX_DOTS &&
    typeof v.onePerNote === 'boolean' &&
    isTemplateList(v.templates) &&
    (v.endsAt === null || isTime(v.endsAt))
  )
}

export function isFollowMeState(v: unknown): v is FollowMeState {
  return isObj(v) && hasOnly(v, ['personId', 'since']) && typeof v.personId === 'string' && v.personId.length > 0 && v.personId.length <= 64 && isTime(v.since)
}

export function isSpotlightState(v: unknown): v is SpotlightState {
  return (
    isObj(v) &&
    hasOnly(v, ['instance', 'zone', 'since']) &&
    isId(v.instance) &&
    (v.zone === null || (typeof v.zone === 'string' && v.zone.length > 0 && v.zone.length <= 80)) &&
    isTime(v.since)
  )
}

export function isAgendaPhase(v: unknown): v is AgendaPhase {
  if (!isObj(v) || !hasOnly(v, ['id', 'name', 'preset', 'minutes', 'private', 'vote', 'lock', 'spotlight'])) return false
  const vote = v.vote
  const voteOk =
    vote === null ||
    (isObj(vote) &&
      hasOnly(vote, ['dots', 'onePerNote', 'templates']) &&
      Number.isInteger(vote.dots) &&
      (vote.dots as number) >= MIN_DOTS &&
      (vote.dots as number) <= MAX_DOTS &&
      typeof vote.onePerNote === 'boolean' &&
      isTemplateList(vote.templates))
  return (
    isId(v.id) &&
    typeof v.name === 'string' &&
    v.name.length <= MAX_PHASE_NAME &&
    (PHASE_PRESETS as readonly unknown[]).includes(v.preset) &&
    Number.isInteger(v.minutes) &&
    (v.minutes as number) >= 0 &&
    (v.minutes as number) <= 480 &&
    typeof v.private === 'boolean' &&
    voteOk &&
    typeof v.lock === 'boolean' &&
    (v.spotlight === null || isId(v.spotlight))
  )
}

export function isAgendaState(v: unknown): v is AgendaState {
  if (!isObj(v) || !hasOnly(v, ['phases', 'current'])) return false
  if (!Array.isArray(v.phases) || v.phases.length > MAX_PHASES || !v.phases.every(isAgendaPhase)) return false
  const ids = new Set(v.phases.map((p) => (p as AgendaPhase).id))
  return ids.size === v.phases.length && Number.isInteger(v.current) && (v.current as number) >= -1 && (v.current as number) <= v.phases.length
}

export function isVoteProgress(v: unknown): v is VoteProgress {
  return isObj(v) && isId(v.voteId) && Number.isInteger(v.voters) && (v.voters as number) >= 0
}

export function isVoteResult(v: unknown): v is VoteResult {
  return isObj(v) && isId(v.voteId) && isTime(v.closedAt) && Array.isArray(v.ranked) && Array.isArray(v.disagreements) && isObj(v.voters)
}

export function isPrivateCounts(v: unknown): v is Record<string, PrivateCount> {
  if (!isObj(v)) return false
  return Object.values(v).every(
    (c) => isObj(c) && typeof c.name === 'string' && isSide(c.side) && isId(c.round) && Number.isInteger(c.count) && (c.count as number) >= 0,
  )
}

/** Keys a facilitator writes, with their validators. */
export const FACILITATOR_KEYS = {
  /** true while every participant is read-only (roles issue). */
  boardLocked: (v: unknown): boolean => typeof v === 'boolean',
  /** true while participants may change template parts (roles issue). */
  templatesUnlocked: (v: unknown): boolean => typeof v === 'boolean',
  title: isTitle,
  timer: isTimerState,
  privateMode: isPrivateModeState,
  vote: isVoteState,
  followMe: isFollowMeState,
  spotlight: isSpotlightState,
  agenda: isAgendaState,
} as const

/** Keys only the server writes (clients' writes refused with 4403), with their validators. */
export const SERVER_KEYS = {
  voteProgress: isVoteProgress,
  voteResult: isVoteResult,
  /** person id -> that person's private-note count (from their awareness `privateNotes`). */
  privateCounts: isPrivateCounts,
} as const

export type FacilitatorKey = keyof typeof FACILITATOR_KEYS
export type ServerKey = keyof typeof SERVER_KEYS

/** Typed view of the whole `session` map (ill-formed values count as absent). */
export interface SessionState {
  boardLocked: boolean
  templatesUnlocked: boolean
  title: string | null
  timer: TimerState | null
  privateMode: PrivateModeState | null
  vote: VoteState | null
  followMe: FollowMeState | null
  spotlight: SpotlightState | null
  agenda: AgendaState | null
  voteProgress: VoteProgress | null
  voteResult: VoteResult | null
  privateCounts: Record<string, PrivateCount>
}

/** Reads every session key through its validator (`get` is `sessionMap.get`). */
export function readSession(get: (key: string) => unknown): SessionState {
  const pick = <T>(key: string, ok: (v: unknown) => boolean): T | null => {
    const v = get(key)
    return ok(v) ? (v as T) : null
  }
  return {
    boardLocked: get('boardLocked') === true,
    templatesUnlocked: get('templatesUnlocked') === true,
    title: pick('title', isTitle),
    timer: pick('timer', isTimerState),
    privateMode: pick('privateMode', isPrivateModeState),
    vote: pick('vote', isVoteState),
    followMe: pick('followMe', isFollowMeState),
    spotlight: pick('spotlight', isSpotlightState),
    agenda: pick('agenda', isAgendaState),
    voteProgress: pick('voteProgress', isVoteProgress),
    voteResult: pick('voteResult', isVoteResult),
    privateCounts: pick('privateCounts', isPrivateCounts) ?? {},
  }
}

/**
 * What the server stores for a facilitator's write of a running timer: `endsAt` := the
 * server's `now + remainingMs` (the facilitator's clock may be off). Null: keep as written.
 */
export function stampTimer(value: TimerState, now: number): TimerState | null {
  if (value.status !== 'running') return null
  const endsAt = now + value.remainingMs
  return value.endsAt === endsAt ? null : { ...value, endsAt }
}

/** Milliseconds left on `timer` at server time `serverNow` (never below 0). */
export function timerRemaining(timer: TimerState, serverNow: number): number {
  if (timer.status === 'running' && timer.endsAt !== null) return Math.max(0, timer.endsAt - serverNow)
  return timer.status === 'stopped' ? timer.durationMs : timer.remainingMs
}

/** `GET /api/time` response: the server's clock, for the client's offset estimate. */
export interface TimeResponse {
  now: number
}

/** Awareness field a participant publishes while it holds private notes (others see the count only). */
export interface PrivateNotesPresence {
  round: string
  count: number
}
export const PRIVATE_NOTES_AWARENESS_FIELD = 'privateNotes'
