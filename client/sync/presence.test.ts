import { describe, expect, it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { ActivityTracker, IDLE_AFTER_MS, listParticipants } from './presence.ts'

describe('participants list (PRS-2)', () => {
  it('lists self first, then by side and name; idleness uses only this tab\'s clock', () => {
    const aw = new Awareness(new Y.Doc())
    aw.setLocalStateField('user', { id: 'me', name: 'Zed', side: 'customer', color: '#c2410c' })
    aw.setLocalStateField('activeAt', 1_000)
    // Remote states as they arrive over the network (their clock is far in the future: no matter).
    aw.states.set(101, { user: { id: 'u1', name: 'Bea', side: 'provider', color: '#1d4ed8' }, activeAt: 9e12 })
    aw.states.set(102, { user: { id: 'u2', name: 'Ada', side: 'provider', color: '#0369a1' }, activeAt: 5 })
    aw.states.set(103, { user: { name: 'no side' } })
    const tracker = new ActivityTracker()
    const t0 = 1_000
    let list = listParticipants(aw, tracker, t0)
    expect(list.map((p) => [p.name, p.isSelf, p.idle])).toEqual([
      ['Zed', true, false],
      ['Ada', false, false],
      ['Bea', false, false],
    ])
    // Nobody moves for longer than the idle limit: everyone is idle.
    list = listParticipants(aw, tracker, t0 + IDLE_AFTER_MS + 1)
    expect(list.every((p) => p.idle)).toBe(true)
    // Bea becomes active again (her activeAt changes): only she is back online.
    aw.states.set(101, { ...aw.states.get(101), activeAt: 9e12 + 1 })
    list = listParticipants(aw, tracker, t0 + IDLE_AFTER_MS + 2)
    expect(list.filter((p) => !p.idle).map((p) => p.name)).toEqual(['Bea'])
    aw.destroy()
  })

  it('ROLE-C4 each entry carries the role the server set (participant when absent or unknown)', () => {
    const aw = new Awareness(new Y.Doc())
    aw.setLocalStateField('user', { id: 'me', name: 'Fia', side: 'provider', color: '#1d4ed8', role: 'facilitator' })
    aw.states.set(201, { user: { id: 'v1', name: 'Vic', side: 'provider', color: '#1d4ed8', role: 'viewer' } })
    aw.states.set(202, { user: { id: 'p1', name: 'Pat', side: 'customer', color: '#c2410c' } })
    aw.states.set(203, { user: { id: 'x1', name: 'Xan', side: 'customer', color: '#c2410c', role: 'owner' } })
    const roles = Object.fromEntries(listParticipants(aw, new ActivityTracker(), 0).map((p) => [p.name, p.role]))
    expect(roles).toEqual({ Fia: 'facilitator', Vic: 'viewer', Pat: 'participant', Xan: 'participant' })
    aw.destroy()
  })
})
