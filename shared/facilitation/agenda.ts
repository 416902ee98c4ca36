/**
 * The workshop agenda (issue 11), pure: the ready-made value-workshop agenda, "Next phase" as
 * `session` writes, and the editing helpers of the facilitator's agenda editor.
 *
 * Phase names: a ready-made phase is stored with an **empty name and its preset id**, so every
 * viewer reads it in their own language (`phaseName`); a name the facilitator types is stored as
 * written and shown as is. (`valueWorkshopAgenda(lang)` may write the names in one language
 * instead, for a script that wants fixed names.)
 *
 * Every helper returns a new value and never an invalid one: an edit that would break
 * `isAgendaState` (too many phases, a name too long, minutes out of range) is clamped or
 * ignored. Pure and DOM-free.
 */
import type { TemplateKind } from '../domain/types.ts'
import { t, type Language, type MessageKey } from '../i18n/index.ts'
import { endModes, freshId, openVote, runTimer, spotlightOn, startPrivate, stopTimer, type SessionPatch } from './actions.ts'
import {
  isAgendaState,
  MAX_DOTS,
  MAX_PHASE_NAME,
  MAX_PHASES,
  MIN_DOTS,
  type AgendaPhase,
  type AgendaState,
  type PhasePreset,
  type SessionState,
} from './session.ts'

/** Longest phase (minutes), as `isAgendaPhase` allows. */
export const MAX_PHASE_MINUTES = 480

/** The catalogue key of each preset's name. */
export const PHASE_NAME_KEYS: Readonly<Record<PhasePreset, MessageKey>> = {
  silentIdeas: 'facPhaseSilentIdeas',
  discuss: 'facPhaseDiscuss',
  vote: 'facPhaseVote',
  rateStaircase: 'facPhaseRateStaircase',
  actionPlan: 'facPhaseActionPlan',
  custom: 'facPhaseCustom',
}

/** A template instance on the board (as `templateInstances` lists them). */
export interface BoardTemplate {
  template: TemplateKind
  instance: string
}

/** What a phase is called for a viewer in `lang`: the facilitator's name, else the preset's. */
export function phaseName(phase: Pick<AgendaPhase, 'name' | 'preset'>, lang: Language): string {
  return phase.name.trim() !== '' ? phase.name : t(lang, PHASE_NAME_KEYS[phase.preset])
}

/** The phase being run, or null (not started, finished, no agenda). */
export function currentPhase(agenda: AgendaState | null): AgendaPhase | null {
  if (!agenda || agenda.current < 0) return null
  return agenda.phases[agenda.current] ?? null
}

/** A phase with nothing switched on. */
export function blankPhase(preset: PhasePreset = 'custom', random?: () => number): AgendaPhase {
  return { id: freshId('phase', random), name: '', preset, minutes: 5, private: false, vote: null, lock: false, spotlight: null }
}

/**
 * The ready-made agenda of a value workshop (domain.md): silent ideas on the B2B value pyramid
 * (private notes, spotlight on the pyramid) → discuss what came up → dot vote on the pyramid's
 * notes (3 dots, one per note) → both sides rate the customer value staircase (spotlight on it)
 * → the action plan (spotlight on it). Spotlights and the vote's template point at the first
 * instance of that kind on `board` (or the id the board's first one gets, `<kind>-1`, when the
 * board is not known).
 *
 * @param lang - When given, the phase names are written in this language; otherwise they stay
 *   empty and each viewer reads the preset's name in their own language.
 * @param board - The templates on the board (left to right), to aim spotlights and the vote.
 */
export function valueWorkshopAgenda(lang?: Language, board?: readonly BoardTemplate[], random?: () => number): AgendaState {
  const instanceOf = (kind: TemplateKind): string | null => {
    if (!board) return `${kind}-1`
    return board.find((b) => b.template === kind)?.instance ?? null
  }
  const pyramid = instanceOf('pyramid')
  const staircase = instanceOf('staircase')
  const actionPlan = instanceOf('actionPlan')
  const phase = (preset: PhasePreset, changes: Partial<AgendaPhase>): AgendaPhase => {
    const p: AgendaPhase = { ...blankPhase(preset, random), ...changes }
    return lang ? { ...p, name: t(lang, PHASE_NAME_KEYS[preset]).slice(0, MAX_PHASE_NAME) } : p
  }
  return {
    current: -1,
    phases: [
      phase('silentIdeas', { minutes: 8, private: true, spotlight: pyramid }),
      phase('discuss', { minutes: 15 }),
      phase('vote', { minutes: 5, vote: { dots: 3, onePerNote: true, templates: pyramid ? [pyramid] : null } }),
      phase('rateStaircase', { minutes: 10, spotlight: staircase }),
      phase('actionPlan', { minutes: 20, spotlight: actionPlan }),
    ],
  }
}

/** Options of `nextPhase`. */
export interface NextPhaseOptions {
  /** Whether a template instance is on the board (a spotlight on a missing one is skipped). Default: all are. */
  hasTemplate?: (instance: string) => boolean
  /** The id source of the fresh private round and vote (tests). */
  random?: () => number
}

/**
 * "Next phase" in two writes: `end` ends what the running modes do (reveal private notes, close
 * the vote, unlock, release the spotlight: `endModes`), `start` moves the agenda on and switches
 * on what the next phase asks (timer set and started, or removed for a phase without one;
 * private mode with a fresh round; a vote opened; the board locked; the spotlight on its
 * template when that template is on the board). Past the last phase, `start` marks the agenda
 * finished and stops the timer. Null when there is no agenda or it is already finished.
 *
 * Apply `end` before `start`, as two transactions: when both phases vote (or both are private),
 * the server must see the old vote closed (it tallies then) and clients the old round revealed
 * before the new one replaces it. `nextPhase` gives the two merged, for a reader who only needs
 * the final state.
 */
export function nextPhaseSteps(state: SessionState, now: number, options: NextPhaseOptions = {}): { end: SessionPatch; start: SessionPatch } | null {
  const agenda = state.agenda
  if (!agenda || agenda.current >= agenda.phases.length) return null
  const end = endModes(state)
  const index = agenda.current + 1
  const next = agenda.phases[index]
  const start: SessionPatch = { agenda: { ...agenda, current: index } satisfies AgendaState }
  if (!next) return { end, start: { ...start, ...stopTimer() } }
  Object.assign(start, next.minutes > 0 ? runTimer(next.minutes, now) : stopTimer())
  if (next.private) Object.assign(start, startPrivate(now, options.random))
  if (next.vote) {
    Object.assign(start, openVote({ ...next.vote, minutes: next.minutes > 0 ? next.minutes : undefined }, now, options.random))
  }
  if (next.lock) start.boardLocked = true
  const hasTemplate = options.hasTemplate ?? (() => true)
  if (next.spotlight && hasTemplate(next.spotlight)) Object.assign(start, spotlightOn(next.spotlight, null, now))
  return { end, start }
}

/** `nextPhaseSteps` as one patch (`start` over `end`); {} when there is nothing next. */
export function nextPhase(state: SessionState, now: number, options: NextPhaseOptions = {}): SessionPatch {
  const steps = nextPhaseSteps(state, now, options)
  return steps ? { ...steps.end, ...steps.start } : {}
}

// ---- editing --------------------------------------------------------------------------------

const clampInt = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(Number.isFinite(n) ? n : lo)))

/** `next` when it is a valid agenda, else `agenda` unchanged. */
function checked(agenda: AgendaState, next: AgendaState): AgendaState {
  return isAgendaState(next) ? next : agenda
}

/** Keeps `current` on the same phase (by id) after the list changed; a removed current phase leaves it on the one that took its place. */
function withPhases(agenda: AgendaState, phases: AgendaPhase[]): AgendaState {
  let current = agenda.current
  if (current >= 0 && current < agenda.phases.length) {
    const id = agenda.phases[current]!.id
    const at = phases.findIndex((p) => p.id === id)
    current = at >= 0 ? at : Math.min(current, phases.length)
  } else if (current >= agenda.phases.length) {
    current = phases.length
  }
  return { phases, current }
}

/** An empty agenda. */
export function emptyAgenda(): AgendaState {
  return { phases: [], current: -1 }
}

/** Adds `phase` (default: a blank one) at the end, or after the phase with id `after`. */
export function addPhase(agenda: AgendaState, phase: AgendaPhase = blankPhase(), after?: string): AgendaState {
  if (agenda.phases.length >= MAX_PHASES) return agenda
  const at = after ? agenda.phases.findIndex((p) => p.id === after) + 1 : agenda.phases.length
  const phases = [...agenda.phases]
  phases.splice(at <= 0 && after ? phases.length : at, 0, phase)
  return checked(agenda, withPhases(agenda, phases))
}

export function removePhase(agenda: AgendaState, id: string): AgendaState {
  if (!agenda.phases.some((p) => p.id === id)) return agenda
  return checked(agenda, withPhases(agenda, agenda.phases.filter((p) => p.id !== id)))
}

/** Moves a phase `delta` places (−1 earlier, +1 later), within the list. */
export function movePhase(agenda: AgendaState, id: string, delta: number): AgendaState {
  const from = agenda.phases.findIndex((p) => p.id === id)
  if (from < 0) return agenda
  const to = Math.min(agenda.phases.length - 1, Math.max(0, from + Math.trunc(delta)))
  if (to === from) return agenda
  const phases = [...agenda.phases]
  const [moved] = phases.splice(from, 1)
  phases.splice(to, 0, moved!)
  return checked(agenda, withPhases(agenda, phases))
}

/** Changes one phase (anything but its id); out-of-range values are clamped, unknown ids ignored. */
export function updatePhase(agenda: AgendaState, id: string, changes: Partial<Omit<AgendaPhase, 'id'>>): AgendaState {
  const at = agenda.phases.findIndex((p) => p.id === id)
  if (at < 0) return agenda
  const old = agenda.phases[at]!
  const next: AgendaPhase = { ...old, ...changes, id: old.id }
  next.name = next.name.replace(/[\u0000-\u001f]/g, ' ').slice(0, MAX_PHASE_NAME)
  next.minutes = clampInt(next.minutes, 0, MAX_PHASE_MINUTES)
  if (next.vote) next.vote = { ...next.vote, dots: clampInt(next.vote.dots, MIN_DOTS, MAX_DOTS) }
  const phases = [...agenda.phases]
  phases[at] = next
  return checked(agenda, { ...agenda, phases })
}

/** Renames a phase (an empty name shows the preset's name in each viewer's language). */
export function renamePhase(agenda: AgendaState, id: string, name: string): AgendaState {
  return updatePhase(agenda, id, { name })
}

/** Sets a phase's duration in minutes (0: no timer), clamped to 0–480. */
export function setPhaseMinutes(agenda: AgendaState, id: string, minutes: number): AgendaState {
  return updatePhase(agenda, id, { minutes })
}

/** Back to "not started" (the phases stay). */
export function restartAgenda(agenda: AgendaState): AgendaState {
  return { ...agenda, current: -1 }
}

/** Total planned minutes. */
export function agendaMinutes(agenda: AgendaState): number {
  return agenda.phases.reduce((n, p) => n + p.minutes, 0)
}
