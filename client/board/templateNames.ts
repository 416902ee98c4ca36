import type { TemplateKind } from '../../shared/domain/index.ts'
import type { MessageKey } from '../../shared/i18n/index.ts'

/** The UI name of each template kind (home page checkboxes, "Add template" menu). */
export const TEMPLATE_NAME_KEYS: Readonly<Record<TemplateKind, MessageKey>> = {
  pyramid: 'templatePyramid',
  roleMap: 'templateRoleMap',
  staircase: 'templateStaircase',
  actionPlan: 'templateActionPlan',
}

/** The short name of each kind in the template navigator (NAV-1): the full name is its tooltip. */
export const TEMPLATE_SHORT_NAME_KEYS: Readonly<Record<TemplateKind, MessageKey>> = {
  pyramid: 'navPyramid',
  roleMap: 'navRoleMap',
  staircase: 'navStaircase',
  actionPlan: 'navActionPlan',
}
