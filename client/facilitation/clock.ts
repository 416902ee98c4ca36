/** The server's clock as React state, ticking locally (no network per tick). */
import { useEffect, useState } from 'react'
import { serverNow, useWorkshop } from './store.ts'

/**
 * `serverNow()`, re-read every `intervalMs` while `active` (and whenever the clock offset is
 * re-measured). Ticks are aligned to the server's second so every screen turns over together.
 */
export function useServerNow(active: boolean, intervalMs = 250): number {
  const offset = useWorkshop((s) => s.clockOffset)
  const [now, setNow] = useState(serverNow)
  useEffect(() => {
    setNow(serverNow())
    if (!active) return
    const id = setInterval(() => setNow(serverNow()), intervalMs)
    return () => clearInterval(id)
  }, [active, intervalMs, offset])
  return now
}
