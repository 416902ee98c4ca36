/**
 * The server's clock as seen from this browser (FAC-C1): a few `GET /api/time` samples; the one
 * with the shortest round trip wins, its offset assumes the answer was made half-way through.
 * A participant whose computer clock is minutes off still sees the timer of everyone else.
 */
import type { TimeResponse } from '../../shared/facilitation/index.ts'

export interface ClockSample {
  /** Local clock when the request left. */
  sentAt: number
  /** Local clock when the answer arrived. */
  receivedAt: number
  /** The server's clock in the answer. */
  serverAt: number
}

export interface ClockEstimate {
  offset: number
  rtt: number
}

/** Pure: the offset (server − local) of the sample with the shortest round trip; null without samples. */
export function estimateOffset(samples: readonly ClockSample[]): ClockEstimate | null {
  let best: ClockEstimate | null = null
  for (const s of samples) {
    const rtt = s.receivedAt - s.sentAt
    if (rtt < 0 || !Number.isFinite(rtt) || !Number.isFinite(s.serverAt)) continue
    const offset = Math.round(s.serverAt - (s.sentAt + rtt / 2))
    if (!best || rtt < best.rtt) best = { offset, rtt }
  }
  return best
}

/** Takes `count` samples from `url` (default `/api/time`), one after the other. Null when none answered. */
export async function measureServerClock(
  count = 5,
  url = '/api/time',
  fetchImpl: typeof fetch = fetch,
  now: () => number = Date.now,
): Promise<ClockEstimate | null> {
  const samples: ClockSample[] = []
  for (let i = 0; i < count; i++) {
    try {
      const sentAt = now()
      const res = await fetchImpl(url, { cache: 'no-store' })
      const receivedAt = now()
      if (!res.ok) continue
      const body = (await res.json()) as Partial<TimeResponse>
      if (typeof body.now === 'number') samples.push({ sentAt, receivedAt, serverAt: body.now })
    } catch {
      // offline: try the next sample, the caller measures again on reconnect
    }
  }
  return estimateOffset(samples)
}
