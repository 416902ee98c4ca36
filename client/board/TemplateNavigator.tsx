import { useEditor, useValue } from 'tldraw'
import { t } from '../../shared/i18n/index.ts'
import { useSession } from '../state/session.ts'
import { templatesOnBoard, zoomToTemplate } from './behaviour.ts'
import { currentTemplate, navigatorItems } from './view.ts'

/**
 * The template navigator (NAV-1): one button per template on the board, left to right, named in
 * the UI language; the one in view is marked. A click brings it into view at a readable size.
 */
export function TemplateNavigator() {
  const editor = useEditor()
  const lang = useSession((s) => s.language)
  // A string, so that panning re-renders only when the list or the current template changes.
  const json = useValue('arvo navigator templates', () => JSON.stringify(templatesOnBoard(editor.getCurrentPageShapes())), [editor])
  const items = navigatorItems(JSON.parse(json) as ReturnType<typeof templatesOnBoard>, lang)
  const current = useValue('arvo current template', () => currentTemplate(items, editor.getViewportPageBounds()), [editor, json])
  if (items.length === 0) return null
  return (
    <nav className="arvo-toolbar-group arvo-nav" aria-label={t(lang, 'templateNavigator')} data-testid="template-navigator">
      {items.map((i) => (
        <button
          key={i.instance}
          className={`arvo-nav-item${i.instance === current ? ' is-current' : ''}`}
          data-testid="nav-template"
          data-instance={i.instance}
          data-template={i.template}
          aria-current={i.instance === current ? 'true' : undefined}
          title={t(lang, 'goToTemplate', { name: i.fullName })}
          onClick={() => zoomToTemplate(editor, i.instance, { animate: true })}
        >
          {i.label}
        </button>
      ))}
    </nav>
  )
}
