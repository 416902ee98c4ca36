/**
 * What the timer shows and when it speaks (TIMER-C1/C2), pure so vitest can test it: the
 * remaining time as m:ss (h:mm:ss past an hour), and the moments a screen reader is told
 * about — one minute left and time up — never every second.
 */
import { timerRemaining, type TimerState } from '../../shared/facilitation/session.ts'

/** Remaining milliseconds as the timer shows them: rounded up to whole seconds, `m:ss` or `h:mm:ss`. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const ss = String(s).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** The timer's stage for announcements and styling. */
export type TimerStage = 'none' | 'running' | 'lastMinute' | 'up' | 'paused' | 'stopped'

export function timerStage(timer: TimerState | null, serverNow: number): TimerStage {
  if (!timer) return 'none'
  if (timer.status !== 'running') return timer.status
  const left = timerRemaining(timer, serverNow)
  if (left <= 0) return 'up'
  return left <= 60_000 ? 'lastMinute' : 'running'
}

/**
 * What to announce when the stage moves from `prev` to `next` (null: nothing). Only a running
 * timer that crosses into its last minute, or reaches zero, is announced; a timer that was
 * already past the mark when first seen (`prev` null: a page just opened) is not.
 */
export function announcement(prev: TimerStage | null, next: TimerStage): 'oneMinute' | 'up' | null {
  if (prev === null || prev === next) return null
  if (next === 'up' && (prev === 'running' || prev === 'lastMinute')) return 'up'
  if (next === 'lastMinute' && prev === 'running') return 'oneMinute'
  return null
}
