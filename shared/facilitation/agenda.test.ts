import { describe, expect, it } from 'vitest'
import {
  addPhase,
  agendaMinutes,
  blankPhase,
  currentPhase,
  emptyAgenda,
  movePhase,
  nextPhase,
  nextPhaseSteps,
  phaseName,
  removePhase,
  renamePhase,
  restartAgenda,
  setPhaseMinutes,
  updatePhase,
  valueWorkshopAgenda,
} from './agenda.ts'
import { FACILITATOR_KEYS, isAgendaState, MAX_PHASE_NAME, MAX_PHASES, readSession, type AgendaState, type SessionState } from './session.ts'

/** A deterministic id source. */
function counter() {
  let n = 0
  return () => ((n++ % 1000) + 1) / 1001
}

/** The session after applying `patch` to `state` the way the client does (undefined deletes). */
function apply(state: SessionState, patch: Record<string, unknown>): SessionState {
  const map = new Map<string, unknown>()
  for (const [k, v] of Object.entries(state)) if (v !== null && v !== false) map.set(k, v)
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === null) map.delete(k)
    else map.set(k, v)
  }
  return readSession((k) => map.get(k))
}

/** Every value a patch writes passes its key's validator (the server would accept it). */
function expectValid(patch: Record<string, unknown>) {
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue
    const ok = FACILITATOR_KEYS[k as keyof typeof FACILITATOR_KEYS]
    expect(ok, `key ${k}`).toBeTypeOf('function')
    expect(ok(v), `${k} = ${JSON.stringify(v)}`).toBe(true)
  }
}

const EMPTY = readSession(() => undefined)
const BOARD = [
  { template: 'pyramid', instance: 'pyramid-2' },
  { template: 'staircase', instance: 'staircase-1' },
] as const

describe('valueWorkshopAgenda', () => {
  it('is a valid agenda of the value workshop: silent ideas on the pyramid, discuss, vote, staircase, action plan', () => {
    const a = valueWorkshopAgenda()
    expect(isAgendaState(a)).toBe(true)
    expect(a.current).toBe(-1)
    expect(a.phases.map((p) => p.preset)).toEqual(['silentIdeas', 'discuss', 'vote', 'rateStaircase', 'actionPlan'])
    const [ideas, discuss, vote, stairs, plan] = a.phases
    expect(ideas).toMatchObject({ private: true, spotlight: 'pyramid-1', vote: null, lock: false })
    expect(discuss).toMatchObject({ private: false, spotlight: null, vote: null })
    expect(vote!.vote).toEqual({ dots: 3, onePerNote: true, templates: ['pyramid-1'] })
    expect(stairs!.spotlight).toBe('staircase-1')
    expect(plan!.spotlight).toBe('actionPlan-1')
    expect(a.phases.every((p) => p.minutes > 0)).toBe(true)
    expect(new Set(a.phases.map((p) => p.id)).size).toBe(5)
  })

  it('stores empty names (each viewer reads the preset in their language) unless a language is given', () => {
    const a = valueWorkshopAgenda()
    expect(a.phases.every((p) => p.name === '')).toBe(true)
    expect(phaseName(a.phases[0]!, 'en')).toBe('Silent ideas')
    expect(phaseName(a.phases[0]!, 'fi')).toBe('Hiljainen ideointi')
    expect(phaseName(a.phases[3]!, 'ru')).toBe('Оценка лестницы ценности')
    const fi = valueWorkshopAgenda('fi')
    expect(fi.phases.map((p) => p.name)).toEqual(['Hiljainen ideointi', 'Keskustelu', 'Pisteäänestys', 'Arvioikaa arvon portaat', 'Toimintasuunnitelma'])
    // A written name is shown as written, in every language.
    expect(phaseName(fi.phases[1]!, 'en')).toBe('Keskustelu')
  })

  it('aims spotlights and the vote at the templates on the board, and at none that is missing', () => {
    const a = valueWorkshopAgenda(undefined, BOARD)
    expect(a.phases[0]!.spotlight).toBe('pyramid-2')
    expect(a.phases[2]!.vote!.templates).toEqual(['pyramid-2'])
    expect(a.phases[3]!.spotlight).toBe('staircase-1')
    expect(a.phases[4]!.spotlight).toBeNull()
    const none = valueWorkshopAgenda(undefined, [])
    expect(none.phases[2]!.vote!.templates).toBeNull()
    expect(isAgendaState(none)).toBe(true)
  })
})

describe('nextPhase', () => {
  const random = counter()
  const agenda = valueWorkshopAgenda(undefined, undefined, random)
  const NOW = 1_800_000_000_000

  it('does nothing without an agenda or after the last phase', () => {
    expect(nextPhase(EMPTY, NOW)).toEqual({})
    expect(nextPhaseSteps({ ...EMPTY, agenda: { ...agenda, current: 5 } }, NOW)).toBeNull()
  })

  it('starts the first phase: timer set and running on the given clock, private mode on, spotlight on the pyramid', () => {
    const patch = nextPhase({ ...EMPTY, agenda }, NOW, { random })
    expectValid(patch)
    const s = apply({ ...EMPTY, agenda }, patch)
    expect(s.agenda!.current).toBe(0)
    expect(s.timer).toEqual({ status: 'running', durationMs: 8 * 60_000, remainingMs: 8 * 60_000, endsAt: NOW + 8 * 60_000 })
    expect(s.privateMode).toMatchObject({ status: 'on', since: NOW })
    expect(s.spotlight).toEqual({ instance: 'pyramid-1', zone: null, since: NOW })
    expect(s.vote).toBeNull()
    expect(s.boardLocked).toBe(false)
  })

  it('walks the whole value workshop: reveal at the end of the private phase, vote opened then closed, spotlights moved, finished at the end', () => {
    let s: SessionState = { ...EMPTY, agenda }
    const seen: SessionState[] = []
    for (let i = 0; i < 6; i++) {
      const steps = nextPhaseSteps(s, NOW + i * 1000, { random })!
      expectValid(steps.end)
      expectValid(steps.start)
      s = apply(apply(s, steps.end), steps.start)
      seen.push(s)
    }
    const [ideas, discuss, vote, stairs, plan, done] = seen
    expect(ideas!.privateMode!.status).toBe('on')
    // Discuss: the round is revealed (same round), the spotlight released, 15 minutes running.
    expect(discuss!.privateMode).toEqual({ ...ideas!.privateMode!, status: 'revealed' })
    expect(discuss!.spotlight).toBeNull()
    expect(discuss!.timer!.durationMs).toBe(15 * 60_000)
    // Vote: open with the phase's options; it closes by itself when the phase's time is up.
    expect(vote!.vote).toMatchObject({ status: 'open', dots: 3, onePerNote: true, templates: ['pyramid-1'], endsAt: NOW + 2000 + 5 * 60_000 })
    // Staircase: the vote is closed (the same vote: the server tallies it), spotlight on the staircase.
    expect(stairs!.vote).toEqual({ ...vote!.vote!, status: 'closed' })
    expect(stairs!.spotlight!.instance).toBe('staircase-1')
    expect(plan!.spotlight!.instance).toBe('actionPlan-1')
    // Past the last phase: finished, timer gone, spotlight released.
    expect(done!.agenda!.current).toBe(5)
    expect(done!.timer).toBeNull()
    expect(done!.spotlight).toBeNull()
    expect(nextPhaseSteps(done!, NOW)).toBeNull()
  })

  it('locks for a locking phase and unlocks when it ends; a phase without minutes removes the timer', () => {
    let a: AgendaState = emptyAgenda()
    const lockPhase = { ...blankPhase('discuss', random), lock: true, minutes: 0 }
    a = addPhase(addPhase(a, lockPhase), blankPhase('custom', random))
    let s: SessionState = { ...EMPTY, agenda: a, timer: { status: 'running', durationMs: 60_000, remainingMs: 60_000, endsAt: NOW } }
    s = apply(s, nextPhase(s, NOW))
    expect(s.boardLocked).toBe(true)
    expect(s.timer).toBeNull()
    s = apply(s, nextPhase(s, NOW))
    expect(s.boardLocked).toBe(false)
    expect(s.timer!.status).toBe('running')
  })

  it('skips a spotlight on a template that is not on the board', () => {
    const s: SessionState = { ...EMPTY, agenda }
    const patch = nextPhase(s, NOW, { hasTemplate: (id) => id !== 'pyramid-1' })
    expect(patch.spotlight).toBeUndefined()
    expect(apply(s, patch).spotlight).toBeNull()
  })

  it('two voting phases in a row: the end step closes the old vote before the start step opens a new one', () => {
    const votePhase = () => ({ ...blankPhase('vote', random), vote: { dots: 2, onePerNote: false, templates: null } })
    const a = addPhase(addPhase(emptyAgenda(), votePhase()), votePhase())
    let s: SessionState = { ...EMPTY, agenda: a }
    s = apply(s, nextPhase(s, NOW, { random }))
    const first = s.vote!
    const steps = nextPhaseSteps(s, NOW, { random })!
    expect(steps.end.vote).toEqual({ ...first, status: 'closed' })
    expect((steps.start.vote as { id: string; status: string }).status).toBe('open')
    expect((steps.start.vote as { id: string }).id).not.toBe(first.id)
  })
})

describe('agenda editing', () => {
  const random = counter()
  const base = valueWorkshopAgenda(undefined, undefined, random)
  const ids = base.phases.map((p) => p.id)

  it('adds at the end or after a phase, up to the limit', () => {
    const p = blankPhase('custom', random)
    expect(addPhase(base, p).phases.at(-1)!.id).toBe(p.id)
    expect(addPhase(base, p, ids[0]).phases[1]!.id).toBe(p.id)
    expect(addPhase(base, p, 'nope').phases.at(-1)!.id).toBe(p.id)
    let full = emptyAgenda()
    for (let i = 0; i < MAX_PHASES + 3; i++) full = addPhase(full, blankPhase('custom', random))
    expect(full.phases).toHaveLength(MAX_PHASES)
    expect(isAgendaState(full)).toBe(true)
    // A duplicate id would make the agenda invalid: refused.
    expect(addPhase(base, base.phases[0]!)).toBe(base)
  })

  it('removes and moves phases, keeping the current phase where it is', () => {
    const running = { ...base, current: 2 }
    const removedBefore = removePhase(running, ids[0]!)
    expect(removedBefore.phases).toHaveLength(4)
    expect(removedBefore.phases[removedBefore.current]!.id).toBe(ids[2])
    const removedCurrent = removePhase(running, ids[2]!)
    expect(removedCurrent.current).toBe(2)
    expect(removedCurrent.phases[2]!.id).toBe(ids[3])
    const moved = movePhase(running, ids[2]!, -1)
    expect(moved.phases.map((p) => p.id)).toEqual([ids[0], ids[2], ids[1], ids[3], ids[4]])
    expect(currentPhase(moved)!.id).toBe(ids[2])
    expect(movePhase(running, ids[0]!, -1)).toBe(running)
    expect(movePhase(running, ids[4]!, 5)).toBe(running)
    expect(removePhase(running, 'nope')).toBe(running)
    const finished = { ...base, current: 5 }
    expect(removePhase(finished, ids[0]!).current).toBe(4)
    expect(isAgendaState(removePhase(finished, ids[0]!))).toBe(true)
  })

  it('renames (trimmed to the limit, no control characters) and sets minutes (clamped)', () => {
    const renamed = renamePhase(base, ids[1]!, 'Talk\nit through'.padEnd(200, '!'))
    expect(renamed.phases[1]!.name).toHaveLength(MAX_PHASE_NAME)
    expect(renamed.phases[1]!.name.startsWith('Talk it through')).toBe(true)
    expect(phaseName(renamed.phases[1]!, 'ru').startsWith('Talk it through')).toBe(true)
    expect(phaseName(renamePhase(base, ids[1]!, '  ').phases[1]!, 'et')).toBe('Arutelu')
    expect(setPhaseMinutes(base, ids[0]!, 12.4).phases[0]!.minutes).toBe(12)
    expect(setPhaseMinutes(base, ids[0]!, -3).phases[0]!.minutes).toBe(0)
    expect(setPhaseMinutes(base, ids[0]!, 10_000).phases[0]!.minutes).toBe(480)
    expect(setPhaseMinutes(base, ids[0]!, Number.NaN).phases[0]!.minutes).toBe(0)
    expect(agendaMinutes(base)).toBe(8 + 15 + 5 + 10 + 20)
  })

  it('toggles modes and clamps the dots; every result is a valid agenda', () => {
    const a = updatePhase(base, ids[1]!, { lock: true, private: true, vote: { dots: 99, onePerNote: false, templates: null }, spotlight: 'roleMap-1' })
    expect(a.phases[1]).toMatchObject({ lock: true, private: true, spotlight: 'roleMap-1', vote: { dots: 20 } })
    expect(isAgendaState(a)).toBe(true)
    // An invalid spotlight id is refused as a whole.
    expect(updatePhase(base, ids[1]!, { spotlight: 'not an id!' })).toBe(base)
    expect(updatePhase(base, 'nope', { lock: true })).toBe(base)
    expect(restartAgenda({ ...base, current: 3 }).current).toBe(-1)
  })
})
