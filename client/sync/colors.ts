import type { Side } from '../../shared/protocol.ts'

/**
 * Cursor colours by side: provider in a blue family, customer in an orange family
 * (distinguishable with the common colour-vision deficiencies). A person's shade is
 * picked from their id so two people of one side still differ.
 */
export const SIDE_CURSOR_COLORS: Record<Side, readonly string[]> = {
  provider: ['#1d4ed8', '#0369a1', '#4338ca', '#0e7490'],
  customer: ['#c2410c', '#b45309', '#be123c', '#a16207'],
}

/** tldraw note colours each side's new notes get by default. */
export const SIDE_NOTE_COLOR: Record<Side, 'light-blue' | 'orange'> = {
  provider: 'light-blue',
  customer: 'orange',
}

/** The cursor colour for a person of `side` with id `userId`. */
export function cursorColor(side: Side, userId: string): string {
  let h = 0
  for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  const family = SIDE_CURSOR_COLORS[side]
  return family[h % family.length]
}
