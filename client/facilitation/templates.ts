/** The board's templates for the facilitation controls (spotlight, agenda), named as the navigator names them. */
import { useEditor, useValue } from 'tldraw'
import type { Language } from '../../shared/i18n/index.ts'
import { templatesOnBoard } from '../board/behaviour.ts'
import { navigatorItems, type NavigatorItem } from '../board/view.ts'

/** The templates on the board in board order, named in `lang`; re-renders only when the list changes. */
export function useBoardTemplates(lang: Language): NavigatorItem[] {
  const editor = useEditor()
  const json = useValue('arvo fac templates', () => JSON.stringify(templatesOnBoard(editor.getCurrentPageShapes())), [editor])
  return navigatorItems(JSON.parse(json) as ReturnType<typeof templatesOnBoard>, lang)
}
