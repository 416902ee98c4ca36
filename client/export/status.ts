/**
 * What the export toast shows (issue 12): one line per download that is running, finished or
 * failed. Framework-free zustand (no storage, no DOM), so vitest can import it.
 */
import { createStore } from 'zustand/vanilla'
import { useStore } from 'zustand'

export interface ExportJob {
  id: number
  /** What the job is for (e.g. `pdf:a4`): a second click while it runs starts nothing. */
  key: string
  state: 'running' | 'done' | 'error'
  text: string
}

export interface ExportStatusState {
  jobs: ExportJob[]
  /** Starts a job, or answers null when one with the same key is still running. */
  start(key: string, text: string): number | null
  finish(id: number, state: 'done' | 'error', text: string): void
  dismiss(id: number): void
}

/** At most this many lines are kept (the oldest finished ones go first). */
export const MAX_JOBS = 4

export function createExportStatus() {
  let next = 1
  return createStore<ExportStatusState>()((set, get) => ({
    jobs: [],
    start(key, text) {
      if (get().jobs.some((j) => j.key === key && j.state === 'running')) return null
      const id = next++
      set((s) => {
        const jobs = [...s.jobs, { id, key, state: 'running' as const, text }]
        while (jobs.length > MAX_JOBS) {
          const i = jobs.findIndex((j) => j.state !== 'running')
          if (i < 0) break
          jobs.splice(i, 1)
        }
        return { jobs }
      })
      return id
    },
    finish(id, state, text) {
      set((s) => ({ jobs: s.jobs.map((j) => (j.id === id ? { ...j, state, text } : j)) }))
    },
    dismiss(id) {
      set((s) => ({ jobs: s.jobs.filter((j) => j.id !== id) }))
    },
  }))
}

/** The tab's one export status. */
export const exportStatus = createExportStatus()

export function useExportStatus<T>(selector: (s: ExportStatusState) => T): T {
  return useStore(exportStatus, selector)
}
