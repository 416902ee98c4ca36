import { describe, expect, it } from 'vitest'
import { announcement, formatRemaining, timerStage } from './timerView.ts'

describe('formatRemaining', () => {
  it('shows m:ss rounded up to the second, h:mm:ss past an hour, never below zero', () => {
    expect(formatRemaining(5 * 60_000)).toBe('5:00')
    expect(formatRemaining(59_001)).toBe('1:00')
    expect(formatRemaining(59_000)).toBe('0:59')
    expect(formatRemaining(1)).toBe('0:01')
    expect(formatRemaining(0)).toBe('0:00')
    expect(formatRemaining(-5000)).toBe('0:00')
    expect(formatRemaining(3_600_000 + 65_000)).toBe('1:01:05')
  })
})

describe('timer stages and announcements', () => {
  const running = { status: 'running' as const, durationMs: 120_000, remainingMs: 120_000, endsAt: 1_000_000 }
  it('reads the stage against the server clock', () => {
    expect(timerStage(null, 0)).toBe('none')
    expect(timerStage(running, 1_000_000 - 90_000)).toBe('running')
    expect(timerStage(running, 1_000_000 - 60_000)).toBe('lastMinute')
    expect(timerStage(running, 1_000_000)).toBe('up')
    expect(timerStage({ ...running, status: 'paused', endsAt: null }, 0)).toBe('paused')
  })
  it('announces only crossing into the last minute and reaching zero, not on first sight', () => {
    expect(announcement('running', 'lastMinute')).toBe('oneMinute')
    expect(announcement('lastMinute', 'up')).toBe('up')
    expect(announcement('running', 'up')).toBe('up')
    expect(announcement('running', 'running')).toBeNull()
    expect(announcement(null, 'up')).toBeNull()
    expect(announcement(null, 'lastMinute')).toBeNull()
    expect(announcement('paused', 'lastMinute')).toBeNull()
    expect(announcement('up', 'stopped')).toBeNull()
  })
})
