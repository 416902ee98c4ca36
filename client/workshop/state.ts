/**
 * The workshop feature's browser state (framework-free zustand, no storage at import): which
 * records are this person's private notes now (the canvas marks them), and this person's own
 * ballot in the open vote (from the server's answers; nobody else's is ever here).
 */
import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'
import type { Ballot } from '../../shared/facilitation/index.ts'

export interface OwnBallot {
  voteId: string
  dots: Ballot
  left: number
}

export interface WorkshopUiState {
  /** Ids of this person's private notes (and what hangs on them). */
  privateIds: ReadonlySet<string>
  /** This person's ballot as the server last answered it (null: none known). */
  ballot: OwnBallot | null
  /** A cast on its way (its note id), so a double click does not send twice. */
  casting: string | null
  setPrivateIds(ids: ReadonlySet<string>): void
  setBallot(ballot: OwnBallot | null): void
  setCasting(noteId: string | null): void
}

export const workshopUi = createStore<WorkshopUiState>()((set) => ({
  privateIds: new Set(),
  ballot: null,
  casting: null,
  setPrivateIds: (privateIds) => set({ privateIds }),
  setBallot: (ballot) => set({ ballot }),
  setCasting: (casting) => set({ casting }),
}))

export function useWorkshopUi<T>(selector: (s: WorkshopUiState) => T): T {
  return useStore(workshopUi, selector)
}
