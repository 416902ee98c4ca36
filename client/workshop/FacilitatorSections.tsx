/**
 * The facilitator panel's sections for silent ideas (private mode) and dot voting, placed by
 * client/facilitation's panel. (Placeholder until the workshop feature lands.)
 */
export function WorkshopSections(): null {
  return null
}
