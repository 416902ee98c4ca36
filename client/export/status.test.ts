import { describe, expect, it } from 'vitest'
import { createExportStatus, MAX_JOBS } from './status.ts'

describe('EXP-C3 export progress', () => {
  it('runs one job per key at a time and keeps failures until dismissed', () => {
    const s = createExportStatus()
    const a = s.getState().start('pdf:a4', 'Preparing: PDF report…')!
    expect(a).not.toBeNull()
    expect(s.getState().start('pdf:a4', 'again')).toBeNull()
    const b = s.getState().start('csv', 'Preparing: CSV file…')!
    s.getState().finish(a, 'error', 'PDF report could not be downloaded: boom')
    expect(s.getState().jobs.map((j) => [j.key, j.state])).toEqual([
      ['pdf:a4', 'error'],
      ['csv', 'running'],
    ])
    // finished: the same export may start again
    expect(s.getState().start('pdf:a4', 'again')).not.toBeNull()
    s.getState().dismiss(b)
    expect(s.getState().jobs.map((j) => j.key)).toEqual(['pdf:a4', 'pdf:a4'])
  })

  it('drops the oldest finished lines beyond the limit, never a running one', () => {
    const s = createExportStatus()
    const ids = Array.from({ length: MAX_JOBS + 2 }, (_, i) => s.getState().start(`k${i}`, `${i}`)!)
    expect(s.getState().jobs).toHaveLength(MAX_JOBS + 2)
    s.getState().finish(ids[0]!, 'done', 'ok')
    s.getState().start('more', 'x')
    expect(s.getState().jobs.map((j) => j.key)).not.toContain('k0')
    expect(s.getState().jobs.filter((j) => j.state === 'running')).toHaveLength(MAX_JOBS + 2)
  })
})
