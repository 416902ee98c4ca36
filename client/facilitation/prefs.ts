/**
 * This browser's facilitation preferences (PNL-1 style, best effort: blocked or full storage
 * never breaks the board): whether the facilitator panel is open, whether the timer plays a
 * sound at zero. Read when asked, never at import (vitest imports modules in Node).
 */
import { initialPanelOpen } from '../state/panels.ts'

export const FAC_PANEL_KEY = 'arvo.facilitatorPanelOpen'
export const TIMER_SOUND_KEY = 'arvo.timerSound'

function read(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value)
  } catch {
    // storage blocked or full: the choice holds for this visit only
  }
}

export function readPanelOpen(): boolean {
  return initialPanelOpen(read(FAC_PANEL_KEY), window.innerWidth)
}
export function writePanelOpen(open: boolean): void {
  write(FAC_PANEL_KEY, String(open))
}
export function readSound(): boolean {
  return read(TIMER_SOUND_KEY) === 'true'
}
export function writeSound(on: boolean): void {
  write(TIMER_SOUND_KEY, String(on))
}
