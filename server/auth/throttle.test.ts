import { describe, expect, it } from 'vitest'
import { defaultLinks } from '../storage/types.ts'
import { LiveTokens, type Clock } from './live.ts'
import { RefusalThrottle } from './throttle.ts'

function fakeClock() {
  let now = 1_000_000
  const timers = new Set<{ at: number; fn: () => void }>()
  const clock: Clock & { advance(ms: number): void; pending(): number } = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const t = { at: now + ms, fn }
      timers.add(t)
      return t
    },
    clearTimeout: (h) => void timers.delete(h as { at: number; fn: () => void }),
    advance(ms) {
      const end = now + ms
      for (;;) {
        const next = [...timers].filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0]
        if (!next) break
        timers.delete(next)
        now = next.at
        next.fn()
      }
      now = end
    },
    pending: () => timers.size,
  }
  return clock
}

describe('AUTH-7 refusal throttle', () => {
  it('AUTH-7 more than 5 refusals within 60 s start a cooldown that doubles with each further refusal, capped at 60 s', () => {
    const clock = fakeClock()
    const th = new RefusalThrottle({ now: clock.now })
    const k = RefusalThrottle.key('10.0.0.1', 'tok')
    for (let i = 0; i < 5; i++) {
      th.refused(k)
      expect(th.cooldownLeft(k)).toBe(0)
      clock.advance(1000)
    }
    th.refused(k) // the sixth within the window
    expect(th.cooldownLeft(k)).toBe(2000)
    const cooldowns = [2000]
    for (let i = 0; i < 8; i++) {
      clock.advance(th.cooldownLeft(k))
      expect(th.cooldownLeft(k)).toBe(0)
      th.refused(k) // it came back and was refused again
      cooldowns.push(th.cooldownLeft(k))
    }
    expect(cooldowns).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000])
  })

  it('AUTH-7 refusals spread out (fewer than 6 per minute) never throttle; a quiet minute forgets the client', () => {
    const clock = fakeClock()
    const th = new RefusalThrottle({ now: clock.now })
    const k = RefusalThrottle.key('10.0.0.2', 'tok')
    for (let i = 0; i < 50; i++) {
      th.refused(k)
      expect(th.cooldownLeft(k)).toBe(0)
      clock.advance(12_001)
    }
    for (let i = 0; i < 6; i++) th.refused(k)
    expect(th.cooldownLeft(k)).toBeGreaterThan(0)
    clock.advance(th.cooldownLeft(k) + 60_000)
    expect(th.cooldownLeft(k)).toBe(0)
    expect(th.size).toBe(0)
    th.refused(k) // starts over: one refusal, no cooldown
    expect(th.cooldownLeft(k)).toBe(0)
  })

  it('AUTH-7 clients are told apart by address and token; memory is bounded (least recently seen forgotten)', () => {
    const clock = fakeClock()
    const th = new RefusalThrottle({ now: clock.now, maxEntries: 100 })
    const loop = RefusalThrottle.key('10.0.0.3', 'tok')
    for (let i = 0; i < 6; i++) th.refused(loop)
    expect(th.cooldownLeft(loop)).toBeGreaterThan(0)
    expect(th.cooldownLeft(RefusalThrottle.key('10.0.0.3', 'other-token'))).toBe(0)
    expect(th.cooldownLeft(RefusalThrottle.key('10.0.0.4', 'tok'))).toBe(0)
    expect(RefusalThrottle.key('10.0.0.3', 'tok')).not.toContain('tok')
    for (let i = 0; i < 1000; i++) th.refused(RefusalThrottle.key(`10.1.${i >> 8}.${i & 255}`, 'x'))
    expect(th.size).toBe(100)
  })
})

describe('AUTH-5 AUTH-6 live tokens', () => {
  function conn() {
    const c = { closed: null as string | null, close: (name: string) => void (c.closed = name) }
    return c
  }
  const grant = (link: 'viewer' | 'customer', generation: number, expiresAt: number | null) => ({ link, generation, expiresAt })

  it("AUTH-5 a rotation closes the connections holding the link's older generation, of that board only; a late older message closes nobody newer", () => {
    const live = new LiveTokens(fakeClock())
    const [v1, v2, c1, other] = [conn(), conn(), conn(), conn()]
    live.add(v1, 'board-a', grant('viewer', 0, null), null)
    live.add(v2, 'board-a', grant('viewer', 1, null), null)
    live.add(c1, 'board-a', grant('customer', 0, null), null)
    live.add(other, 'board-b', grant('viewer', 0, null), null)
    const rotated = defaultLinks()
    rotated.viewer.gen = 1
    live.linksChanged('board-a', rotated)
    expect([v1.closed, v2.closed, c1.closed, other.closed]).toEqual(['linkReset', null, null, null])
    live.linksChanged('board-a', defaultLinks()) // an earlier state arriving late
    expect(v2.closed).toBeNull()
    expect(live.size).toBe(3)
    // a connection registered after the rotation's close pass, with a token checked before it
    const racing = conn()
    live.add(racing, 'board-a', grant('viewer', 0, null), null)
    live.recheck(racing, rotated)
    expect(racing.closed).toBe('linkReset')
  })

  it('AUTH-6 a connection is closed when its token expires, also after a change of the link expiry; timers over 24.8 days are chained', () => {
    const clock = fakeClock()
    const live = new LiveTokens(clock)
    const a = conn()
    live.add(a, 'board-a', grant('viewer', 0, clock.now() + 5000), clock.now() + 5000)
    clock.advance(4999)
    expect(a.closed).toBeNull()
    clock.advance(1)
    expect(a.closed).toBe('linkExpired')
    expect(live.size).toBe(0)
    // the facilitator brings the link's expiry forward: the live connection follows
    const b = conn()
    live.add(b, 'board-a', grant('customer', 0, null), null)
    const sooner = defaultLinks()
    sooner.customer.expiresAt = clock.now() + 1000
    live.linksChanged('board-a', sooner)
    clock.advance(1000)
    expect(b.closed).toBe('linkExpired')
    // 300 days away: fires then, not at once (Node would fire a timer over 2^31 ms immediately)
    const c = conn()
    const far = clock.now() + 300 * 86_400_000
    live.add(c, 'board-a', grant('viewer', 0, far), far)
    clock.advance(299 * 86_400_000)
    expect(c.closed).toBeNull()
    clock.advance(86_400_000)
    expect(c.closed).toBe('linkExpired')
    // a removed connection leaves no timer behind
    const d = conn()
    live.add(d, 'board-a', grant('viewer', 0, clock.now() + 10), clock.now() + 10)
    live.remove(d)
    expect(clock.pending()).toBe(0)
  })
})
