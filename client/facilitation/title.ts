/** The board title as the facilitator types it and as `session.title` accepts it (TITLE-C1). Pure. */
import { MAX_TITLE_LENGTH } from '../../shared/facilitation/session.ts'

/** Control characters (a pasted newline, a tab) become spaces, runs of spaces one, trimmed, at most the limit. */
export function cleanTitle(raw: string): string {
  return raw
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, MAX_TITLE_LENGTH)
    .trim()
}
