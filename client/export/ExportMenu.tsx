/**
 * The board's main menu with Arvo's "Export and download" submenu in place of tldraw's
 * "Export as" (issue 12): the PDF report (A4 or US Letter), the notes as CSV, the report as
 * Markdown and the JSON backup from the server, in the viewer's language; the whole board and
 * each template on it as PNG and SVG (tldraw's export, ACT-2 names). Every item is offered to
 * anyone who can read the board, viewers included (`readonlyOk`).
 */
import {
  DefaultMainMenu,
  EditSubmenu,
  ExtrasGroup,
  PreferencesGroup,
  TldrawUiMenuGroup,
  TldrawUiMenuItem,
  TldrawUiMenuSubmenu,
  ToggleTransparentBgMenuItem,
  useActions,
  useEditor,
  useValue,
  ViewSubmenu,
} from 'tldraw'
import { t, type Language } from '../../shared/i18n/index.ts'
import { useBoard } from '../board/context.ts'
import { templatesOnBoard } from '../board/behaviour.ts'
import { TEMPLATE_NAME_KEYS } from '../board/templateNames.ts'
import { sessionStore, useSession } from '../state/session.ts'
import { boardOrder } from '../board/view.ts'
import { exportTemplateImage, runServerExport } from './actions.ts'
import type { Paper, ServerExportFormat } from './download.ts'

/** tldraw translates menu labels by key and shows an unknown key as it is: ours are already translated. */
type Label = string

function ServerItems({ lang }: { lang: Language }) {
  const { boardId, access } = useBoard()
  const run = (format: ServerExportFormat, paper?: Paper) => () => {
    // The language at the time of the click (the viewer may have switched it).
    void runServerExport({ boardId, token: access.token, format, paper, lang: sessionStore.getState().language })
  }
  const items: { id: string; label: Label; onSelect(): void }[] = [
    { id: 'arvo-export-pdf-a4', label: t(lang, 'exportPdfA4'), onSelect: run('pdf', 'a4') },
    { id: 'arvo-export-pdf-letter', label: t(lang, 'exportPdfLetter'), onSelect: run('pdf', 'letter') },
    { id: 'arvo-export-csv', label: t(lang, 'exportCsv'), onSelect: run('csv') },
    { id: 'arvo-export-md', label: t(lang, 'exportMarkdown'), onSelect: run('md') },
    { id: 'arvo-export-json', label: t(lang, 'exportJson'), onSelect: run('json') },
  ]
  return (
    <TldrawUiMenuGroup id="arvo-export-server">
      {items.map((i) => (
        <TldrawUiMenuItem key={i.id} id={i.id} label={i.label} readonlyOk onSelect={i.onSelect} />
      ))}
    </TldrawUiMenuGroup>
  )
}

function ImageItems({ lang }: { lang: Language }) {
  const editor = useEditor()
  const actions = useActions()
  const { boardId } = useBoard()
  const templates = useValue(
    'arvo export templates',
    () => boardOrder(templatesOnBoard(editor.getCurrentPageShapes())).map((x) => ({ instance: x.instance, template: x.template })),
    [editor],
  )
  const onError = (e: unknown) => {
    console.error('[arvo] export failed', e)
    sessionStore.getState().showNotice(t(sessionStore.getState().language, 'exportFailed'))
  }
  const whole = (id: 'export-all-as-png' | 'export-all-as-svg') => () => actions[id]?.onSelect('main-menu')
  // Two instances of one kind are told apart by their number in board order.
  const counts = new Map<string, number>()
  const seen = new Map<string, number>()
  for (const x of templates) counts.set(x.template, (counts.get(x.template) ?? 0) + 1)
  const named = templates.map((x) => {
    const n = (seen.get(x.template) ?? 0) + 1
    seen.set(x.template, n)
    const base = t(lang, TEMPLATE_NAME_KEYS[x.template])
    return { ...x, name: (counts.get(x.template) ?? 0) > 1 ? `${base} ${n}` : base }
  })
  return (
    <>
      <TldrawUiMenuGroup id="arvo-export-board">
        <TldrawUiMenuItem id="arvo-export-board-png" label={t(lang, 'exportBoardPng')} readonlyOk onSelect={whole('export-all-as-png')} />
        <TldrawUiMenuItem id="arvo-export-board-svg" label={t(lang, 'exportBoardSvg')} readonlyOk onSelect={whole('export-all-as-svg')} />
      </TldrawUiMenuGroup>
      {named.length > 0 && (
        <TldrawUiMenuGroup id="arvo-export-templates">
          {named.flatMap((x) =>
            (['png', 'svg'] as const).map((format) => (
              <TldrawUiMenuItem
                key={`${x.instance}-${format}`}
                id={`arvo-export-template-${x.instance}-${format}`}
                label={t(lang, format === 'png' ? 'exportTemplatePng' : 'exportTemplateSvg', { template: x.name })}
                readonlyOk
                onSelect={() => exportTemplateImage(editor, boardId, x.instance, format, sessionStore.getState().language).catch(onError)}
              />
            )),
          )}
        </TldrawUiMenuGroup>
      )}
      <TldrawUiMenuGroup id="arvo-export-bg">
        <ToggleTransparentBgMenuItem />
      </TldrawUiMenuGroup>
    </>
  )
}

/** The "Export and download" submenu. */
export function ExportSubmenu() {
  const lang = useSession((s) => s.language)
  return (
    <TldrawUiMenuSubmenu id="arvo-export" label={t(lang, 'exportMenu')} size="medium">
      <ServerItems lang={lang} />
      <ImageItems lang={lang} />
    </TldrawUiMenuSubmenu>
  )
}

/** tldraw's main menu, its "Export as" replaced by {@link ExportSubmenu}. */
export function ArvoMainMenu() {
  return (
    <DefaultMainMenu>
      <TldrawUiMenuGroup id="basic">
        <EditSubmenu />
        <ViewSubmenu />
        <ExportSubmenu />
        <ExtrasGroup />
      </TldrawUiMenuGroup>
      <PreferencesGroup />
    </DefaultMainMenu>
  )
}
