/**
 * Silent ideas (private notes) and dot voting (issue 11) as tldraw slot content: `WorkshopTop`
 * (a participant's vote bar, the private-mode sign), `WorkshopSections` (inside the
 * facilitator panel: start/reveal, start/close vote), `WorkshopCanvas` (page-space: dots on
 * notes, results, private-note marks). Placeholders until the feature lands.
 */
export function WorkshopTop(): null {
  return null
}

export function WorkshopSections(): null {
  return null
}

export function WorkshopCanvas(): null {
  return null
}
