import { describe, expect, it } from 'vitest'
import { estimateOffset, measureServerClock } from './serverClock.ts'

describe('server clock (FAC-C1)', () => {
  it('takes the offset of the sample with the shortest round trip', () => {
    const est = estimateOffset([
      { sentAt: 1000, receivedAt: 1400, serverAt: 600_000 },
      { sentAt: 2000, receivedAt: 2020, serverAt: 302_010 },
      { sentAt: 3000, receivedAt: 3100, serverAt: 303_000 },
    ])
    expect(est).toEqual({ offset: 300_000, rtt: 20 })
  })

  it('ignores broken samples and answers null without any', () => {
    expect(estimateOffset([])).toBeNull()
    expect(estimateOffset([{ sentAt: 10, receivedAt: 5, serverAt: 1 }])).toBeNull()
  })

  it('measures a clock that is five minutes ahead through the time route', async () => {
    let local = 1_000_000
    const skew = 5 * 60_000
    const fetchImpl = (async () => {
      local += 7
      const body = { now: local + skew }
      local += 3
      return new Response(JSON.stringify(body), { status: 200 })
    }) as typeof fetch
    const est = await measureServerClock(3, '/api/time', fetchImpl, () => local)
    expect(est).not.toBeNull()
    expect(Math.abs(est!.offset - skew)).toBeLessThanOrEqual(5)
  })
})
