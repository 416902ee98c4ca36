import type { Language } from '../../shared/i18n/index.ts'

/** `2026-12-15` as the viewer reads dates (en "15 Dec 2026", fi "15.12.2026", ru "15 дек. 2026 г."). */
export function formatDue(due: string, lang: Language): string {
  const [y, m, d] = due.split('-').map(Number) as [number, number, number]
  const locale = lang === 'en' ? 'en-GB' : lang
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(y, m - 1, d),
  )
}
