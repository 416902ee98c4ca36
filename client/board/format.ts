import type { Language } from '../../shared/i18n/index.ts'

/** `2026-12-15` as the viewer reads dates (en "15 Dec 2026", fi "15.12.2026", ru "15 дек. 2026 г."). */
export function formatDue(due: string, lang: Language): string {
  const [y, m, d] = due.split('-').map(Number) as [number, number, number]
  const locale = lang === 'en' ? 'en-GB' : lang
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(y, m - 1, d),
  )
}

/**
 * Up to two initials of a name for the author badge on notes (NOTE-1): first and last word
 * ("Paula Consultant-Virtanen" → "PC", "Ilja" → "IL", "anna maria" → "AM"); "?" when empty.
 */
export function authorInitials(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean)
  if (words.length === 0) return '?'
  const firstLetter = (w: string) => [...w][0] ?? ''
  const initials = words.length === 1 ? [...words[0]!].slice(0, 2).join('') : firstLetter(words[0]!) + firstLetter(words[words.length - 1]!)
  return initials.toLocaleUpperCase()
}
