import { useEffect, useRef, useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { TEMPLATE_KINDS, type TemplateKind } from '../../shared/domain/index.ts'
import { LANGUAGES, t, type Language } from '../../shared/i18n/index.ts'
import { useSession } from '../state/session.ts'
import { addTemplate, setTemplatesLocked, templatesLocked, zoomToFit, zoomToTemplate } from './behaviour.ts'
import { useBoard } from './context.ts'
import { isLockedTemplatePart } from './guards.ts'
import { TEMPLATE_NAME_KEYS } from './templateNames.ts'

/**
 * The owner's switch (LOCK-1): unlock every template part to rearrange the templates, lock them
 * again. Shown only to the board's owner; participants' clients refuse the change anyway.
 */
function TemplateLockToggle() {
  const { role } = useBoard()
  // Participants never pay for watching the lock state.
  return role === 'owner' ? <OwnerLockSwitch /> : null
}

function OwnerLockSwitch() {
  const editor = useEditor()
  const lang = useSession((s) => s.language)
  const locked = useValue('templates locked', () => templatesLocked(editor.getCurrentPageShapes()), [editor])
  const hasTemplates = useValue('has templates', () => editor.getCurrentPageShapes().some(isLockedTemplatePart), [editor])
  if (!hasTemplates) return null
  return (
    <button
      className={`arvo-secondary${locked ? '' : ' is-on'}`}
      data-testid="template-lock-toggle"
      data-locked={locked}
      aria-pressed={!locked}
      title={t(lang, 'unlockTemplatesHint')}
      onClick={() => setTemplatesLocked(editor, !locked)}
    >
      {t(lang, locked ? 'unlockTemplates' : 'lockTemplates')}
    </button>
  )
}

/**
 * "Add template": places one of the four templates right of the board's content, in the
 * picker's language (the UI language unless changed here), then zooms to it.
 */
export function TemplatePicker() {
  const editor = useEditor()
  const lang = useSession((s) => s.language)
  const [open, setOpen] = useState(false)
  const [templateLang, setTemplateLang] = useState<Language>(lang)
  const root = useRef<HTMLDivElement>(null)
  useEffect(() => setTemplateLang(lang), [lang])
  useEffect(() => {
    if (!open) return
    const onDown = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false)
    }
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false)
    window.addEventListener('pointerdown', onDown, true)
    window.addEventListener('keydown', onKey)
    return () => {
      window.removeEventListener('pointerdown', onDown, true)
      window.removeEventListener('keydown', onKey)
    }
  }, [open])

  const add = (kind: TemplateKind) => {
    const { instance, bounds } = addTemplate(editor, kind, templateLang)
    setOpen(false)
    editor.selectNone()
    editor.setCurrentTool('select')
    // At a readable size (FIT-2), as the navigator brings a template into view.
    if (!zoomToTemplate(editor, instance, { animate: true })) zoomToFit(editor, { bounds, animate: true })
  }

  return (
    <div className="arvo-picker" ref={root}>
      <div className="arvo-toolbar-group">
        <button
          className="arvo-primary arvo-compact"
          data-testid="add-template"
          aria-expanded={open}
          aria-haspopup="menu"
          onClick={() => setOpen((o) => !o)}
        >
          + {t(lang, 'addTemplate')}
        </button>
        <button
          className="arvo-secondary"
          data-testid="fit-board"
          title={t(lang, 'fitToContent')}
          onClick={() => zoomToFit(editor, { animate: true })}
        >
          {t(lang, 'fitToContent')}
        </button>
        <TemplateLockToggle />
      </div>
      {open && (
        <div className="arvo-panel arvo-picker-menu" role="menu" data-testid="template-menu">
          {TEMPLATE_KINDS.map((kind) => (
            <button key={kind} role="menuitem" className="arvo-menu-item" data-testid={`add-template-${kind}`} onClick={() => add(kind)}>
              {t(lang, TEMPLATE_NAME_KEYS[kind])}
            </button>
          ))}
          <label className="arvo-field-row arvo-picker-lang">
            <span className="arvo-field-label">{t(lang, 'templateLanguage')}</span>
            <select
              data-testid="template-language"
              value={templateLang}
              onChange={(e) => setTemplateLang(e.target.value as Language)}
            >
              {LANGUAGES.map((l) => (
                <option key={l.code} value={l.code}>
                  {l.nativeName}
                </option>
              ))}
            </select>
          </label>
          <p className="arvo-muted arvo-small">{t(lang, 'templateLanguageHint')}</p>
        </div>
      )}
    </div>
  )
}
