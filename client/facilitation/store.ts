/**
 * The facilitation state of the open board, for every panel: the whole `session` map read
 * through its validators (`shared/facilitation`), and this browser's estimate of the server's
 * clock (timer, vote deadline). Framework-free zustand store with a React binding; no
 * `localStorage` at import (vitest imports it in Node).
 */
import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'
import { readSession, type SessionState } from '../../shared/facilitation/index.ts'

export interface WorkshopState {
  /** The `session` map as last read (ill-formed values count as absent). */
  session: SessionState
  /** Server clock minus local clock, in ms (0 until measured; see `serverClock.ts`). */
  clockOffset: number
  /** Round trip of the sample the offset came from (null until measured). */
  clockRtt: number | null
  setSession(session: SessionState): void
  setClock(offset: number, rtt: number): void
}

export const EMPTY_SESSION: SessionState = readSession(() => undefined)

export function createWorkshopStore() {
  return createStore<WorkshopState>()((set) => ({
    session: EMPTY_SESSION,
    clockOffset: 0,
    clockRtt: null,
    setSession: (session) => set({ session }),
    setClock: (clockOffset, clockRtt) => set({ clockOffset, clockRtt }),
  }))
}

/** The one workshop store of this tab. */
export const workshopStore = createWorkshopStore()

/** React binding: subscribe to a slice of the workshop state. */
export function useWorkshop<T>(selector: (s: WorkshopState) => T): T {
  return useStore(workshopStore, selector)
}

/** The server's clock now, as this browser estimates it (ms since the epoch). */
export function serverNow(): number {
  return Date.now() + workshopStore.getState().clockOffset
}
