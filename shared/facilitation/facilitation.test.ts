import { describe, expect, it } from 'vitest'
import { addMinute, closeVote, endModes, openVote, pauseTimer, revealPrivate, runTimer, startPrivate, startTimer, setTimer } from './actions.ts'
import { FACILITATOR_KEYS, readSession, stampTimer, timerRemaining, type TimerState, type VoteState } from './session.ts'
import { applyDot, tallyVotes, type SidedBallot } from './votes.ts'

const seq = () => {
  let i = 0
  return () => ((i++ * 0.137) % 1)
}

describe('facilitation contract', () => {
  it('FAC-4 every patch an action makes passes the validator of its key', () => {
    const now = 1_700_000_000_000
    const patches = [
      setTimer(5),
      runTimer(3, now),
      startTimer({ status: 'stopped', durationMs: 60_000, remainingMs: 60_000, endsAt: null }, now),
      pauseTimer({ status: 'running', durationMs: 60_000, remainingMs: 60_000, endsAt: now + 30_000 }, now),
      addMinute({ status: 'running', durationMs: 60_000, remainingMs: 60_000, endsAt: now + 30_000 }, now),
      startPrivate(now, seq()),
      openVote({ dots: 3, onePerNote: true, templates: ['pyramid-1'], minutes: 2 }, now, seq()),
      openVote({ dots: 5, onePerNote: false, templates: null }, now, seq()),
    ]
    for (const patch of patches) {
      for (const [key, value] of Object.entries(patch)) {
        expect(FACILITATOR_KEYS[key as keyof typeof FACILITATOR_KEYS](value), `${key}: ${JSON.stringify(value)}`).toBe(true)
      }
    }
  })

  it('FAC-4 the timer: pause keeps what was left, +1 minute extends, remaining never below zero', () => {
    const now = 10_000_000
    const running = runTimer(5, now).timer as TimerState
    expect(timerRemaining(running, now + 60_000)).toBe(240_000)
    const paused = pauseTimer(running, now + 60_000).timer as TimerState
    expect(paused).toMatchObject({ status: 'paused', remainingMs: 240_000, endsAt: null })
    expect(timerRemaining(paused, now + 999_999)).toBe(240_000)
    const resumed = startTimer(paused, now + 120_000).timer as TimerState
    expect(resumed.endsAt).toBe(now + 120_000 + 240_000)
    const plus = addMinute(resumed, now + 120_000).timer as TimerState
    expect(timerRemaining(plus, now + 120_000)).toBe(300_000)
    expect(timerRemaining(resumed, now + 10_000_000)).toBe(0)
    expect(stampTimer(resumed, now + 120_000)).toBeNull()
    expect(stampTimer({ ...resumed, endsAt: 5 }, now)).toEqual({ ...resumed, endsAt: now + resumed.remainingMs })
  })

  it('FAC-4 a vote with a time limit also runs the timer; close and reveal change only what is open', () => {
    const patch = openVote({ dots: 2, onePerNote: false, templates: null, minutes: 3 }, 1000, seq())
    const vote = patch.vote as VoteState
    expect(vote.endsAt).toBe(1000 + 180_000)
    expect((patch.timer as TimerState).endsAt).toBe(vote.endsAt)
    expect(closeVote(vote)).toEqual({ vote: { ...vote, status: 'closed' } })
    expect(closeVote({ ...vote, status: 'closed' })).toEqual({})
    const mode = { status: 'on' as const, round: 'r1', since: 1 }
    expect(revealPrivate(mode)).toEqual({ privateMode: { ...mode, status: 'revealed' } })
    expect(revealPrivate({ ...mode, status: 'revealed' })).toEqual({})
    const state = readSession((k) => ({ vote, privateMode: mode, boardLocked: true, spotlight: { instance: 'p', zone: null, since: 1 } } as Record<string, unknown>)[k])
    expect(endModes(state)).toEqual({
      privateMode: { ...mode, status: 'revealed' },
      vote: { ...vote, status: 'closed' },
      boardLocked: undefined,
      spotlight: undefined,
    })
  })

  it('FAC-4 readSession drops ill-formed values instead of trusting them', () => {
    const s = readSession((k) => ({ title: 42, timer: { status: 'running' }, agenda: { phases: [], current: 0 } } as Record<string, unknown>)[k])
    expect(s.title).toBeNull()
    expect(s.timer).toBeNull()
    expect(s.agenda).toEqual({ phases: [], current: 0 })
    expect(s.privateCounts).toEqual({})
  })
})

describe('dot voting (pure)', () => {
  const vote: VoteState = { id: 'v1', status: 'open', dots: 3, onePerNote: true, templates: null, endsAt: null }

  it('VOTE-P1 a ballot spends at most its dots, one per note when asked, and only on eligible notes', () => {
    let ballot = {}
    for (const id of ['a', 'b', 'c']) {
      const r = applyDot(vote, ballot, id, 1, true)
      if (!('ballot' in r)) throw new Error(`refused ${r.refused}`)
      ballot = r.ballot
    }
    expect(applyDot(vote, ballot, 'd', 1, true)).toEqual({ refused: 'budget' })
    expect(applyDot(vote, { a: 1 }, 'a', 1, true)).toEqual({ refused: 'onePerNote' })
    expect(applyDot({ ...vote, onePerNote: false }, { a: 1 }, 'a', 1, true)).toEqual({ ballot: { a: 2 } })
    expect(applyDot(vote, {}, 'x', 1, false)).toEqual({ refused: 'notEligible' })
    expect(applyDot(vote, {}, 'x', -1, true)).toEqual({ refused: 'noDot' })
    expect(applyDot(vote, { a: 1 }, 'a', -1, true)).toEqual({ ballot: {} })
    expect(applyDot({ ...vote, status: 'closed' }, {}, 'a', 1, true)).toEqual({ refused: 'closed' })
  })

  it('VOTE-P2 the tally splits dots by side, ranks them and names the notes the sides disagree on most', () => {
    const ballots: SidedBallot[] = [
      { personId: 'p1', side: 'provider', dots: { a: 2, b: 1 } },
      { personId: 'p2', side: 'provider', dots: { a: 1, gone: 2 } },
      { personId: 'c1', side: 'customer', dots: { b: 2, c: 1 } },
      { personId: 'c2', side: 'customer', dots: {} },
    ]
    const r = tallyVotes({ ...vote, onePerNote: false }, ballots, 99, (id) => id !== 'gone')
    expect(r.voters).toEqual({ provider: 2, customer: 1 })
    // a tie of 3: the note both sides voted for ranks first
    expect(r.ranked).toEqual([
      { noteId: 'b', provider: 1, customer: 2, total: 3 },
      { noteId: 'a', provider: 3, customer: 0, total: 3 },
      { noteId: 'c', provider: 0, customer: 1, total: 1 },
    ])
    // shares: provider a 3/4 b 1/4; customer b 2/3 c 1/3
    expect(r.disagreements.map((d) => [d.noteId, d.gap])).toEqual([
      ['a', 0.75],
      ['b', 0.417],
      ['c', 0.333],
    ])
    expect(tallyVotes(vote, [{ personId: 'p', side: 'provider', dots: { a: 1 } }], 1).disagreements).toEqual([])
  })
})
