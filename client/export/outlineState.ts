/**
 * Whether the outline panel is open: remembered per browser (`arvo.outlineOpen`), closed until
 * someone opens it. Storage is read on first use, not at import (vitest imports this in Node).
 */
import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'

export const OUTLINE_OPEN_KEY = 'arvo.outlineOpen'

function readStored(): boolean {
  try {
    return globalThis.localStorage?.getItem(OUTLINE_OPEN_KEY) === 'true'
  } catch {
    return false
  }
}

export interface OutlineState {
  open: boolean | null
  setOpen(open: boolean): void
}

export const outlineState = createStore<OutlineState>()((set) => ({
  open: null,
  setOpen(open) {
    try {
      globalThis.localStorage?.setItem(OUTLINE_OPEN_KEY, String(open))
    } catch {
      // not remembered
    }
    set({ open })
  },
}))

export function useOutlineOpen(): boolean {
  const open = useStore(outlineState, (s) => s.open)
  return open ?? readStored()
}
