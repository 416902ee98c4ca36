import { describe, expect, it } from 'vitest'
import { plainText, privateHolders, shownResult, voteOptionsFrom } from './model.ts'

const mode = { status: 'on' as const, round: 'r1', since: 1 }

describe('workshop panels (pure)', () => {
  it('WS-2 private holders: server counts of this round, overridden by connected people; zero counts left out', () => {
    const counts = {
      away: { name: 'Otto Offline', side: 'customer' as const, round: 'r1', count: 2 },
      old: { name: 'Old Round', side: 'provider' as const, round: 'r0', count: 4 },
      done: { name: 'Dana', side: 'provider' as const, round: 'r1', count: 1 },
    }
    const states = [
      { user: { id: 'done', name: 'Dana', side: 'provider' }, privateNotes: null },
      { user: { id: 'live', name: 'Liisa', side: 'customer' }, privateNotes: { round: 'r1', count: 3 } },
      { user: { id: 'other', name: 'Other', side: 'provider' }, privateNotes: { round: 'r0', count: 9 } },
    ]
    expect(privateHolders(mode, counts, states)).toEqual([
      { personId: 'live', name: 'Liisa', side: 'customer', count: 3, online: true },
      { personId: 'away', name: 'Otto Offline', side: 'customer', count: 2, online: false },
    ])
    expect(privateHolders(null, counts, states)).toEqual([])
  })

  it('VOTE-C3 a result shows unless a newer vote is open; WS-2 the vote form checks its numbers', () => {
    const vote = { id: 'v1', status: 'closed' as const, dots: 3, onePerNote: true, templates: null, endsAt: null }
    const voteResult = { voteId: 'v1', closedAt: 1, dots: 3, voters: { provider: 1, customer: 0 }, ranked: [], disagreements: [] }
    expect(shownResult({ vote, voteResult })).toBe(voteResult)
    expect(shownResult({ vote: null, voteResult })).toBe(voteResult)
    expect(shownResult({ vote: { ...vote, id: 'v2', status: 'open' }, voteResult })).toBeNull()
    expect(voteOptionsFrom({ dots: '3', onePerNote: true, templates: [], minutes: '' })).toEqual({ dots: 3, onePerNote: true, templates: null })
    expect(voteOptionsFrom({ dots: '5', onePerNote: false, templates: ['pyramid-1'], minutes: '4' })).toEqual({ dots: 5, onePerNote: false, templates: ['pyramid-1'], minutes: 4 })
    for (const dots of ['0', '21', '2.5', 'x']) expect(voteOptionsFrom({ dots, onePerNote: true, templates: [], minutes: '' })).toBeNull()
    expect(voteOptionsFrom({ dots: '3', onePerNote: true, templates: [], minutes: '0' })).toBeNull()
    expect(plainText({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Two' }] }, { type: 'paragraph', content: [{ type: 'text', text: 'lines' }] }] })).toBe('Two lines')
  })
})
