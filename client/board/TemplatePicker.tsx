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
 * The facilitator's template switch (ROLE-C3; "Lock board" lives in the facilitator panel,
 * `client/facilitation`) — unlocking lets the facilitator (and, by the server's
 * policy, the participants) move and resize template parts, and unlocks every template part at
 * once; locking does the reverse. It writes the board's `session` map, which only a
 * facilitator's connection may.
 */
function FacilitatorControls() {
  const editor = useEditor()
  const lang = useSession((s) => s.language)
  const { setSessionFlag } = useBoard()
  const locked = useValue('templates locked', () => templatesLocked(editor.getCurrentPageShapes()), [editor])
  const hasTemplates = useValue('has templates', () => editor.getCurrentPageShapes().some(isLockedTemplatePart), [editor])
  const switchTemplates = () => {
    if (locked) {
      setSessionFlag('templatesUnlocked', true)
      setTemplatesLocked(editor, false)
    } else {
      setTemplatesLocked(editor, true)
      setSessionFlag('templatesUnlocked', false)
    }
  }
  return (
    <>
      {hasTemplates && (
        <button
          className={`arvo-secondary${locked ? '' : ' is-on'}`}
          data-testid="template-lock-toggle"
          data-locked={locked}
          aria-pressed={!locked}
          title={t(lang, 'unlockTemplatesHint')}
          onClick={switchTemplates}
        >
          {t(lang, locked ? 'unlockTemplates' : 'lockTemplates')}
        </button>
      )}
    </>
  )
}

/**
 * "Add template": places one of the four templates right of the board's content, in the
 * picker's language (the UI language unless changed here), then zooms to it.
 */
export function TemplatePicker() {
  const editor = useEditor()
  const lang = useSession((s) => s.language)
  const { access } = useBoard()
  const flags = useSession((s) => s.sessionFlags)
  const isFacilitator = access.role === 'facilitator'
  // Templates are template parts: only the facilitator adds them, or a participant while the
  // facilitator has unlocked the templates (and not locked the board); never a viewer.
  const mayAdd = isFacilitator || (access.role === 'participant' && flags.templatesUnlocked && !flags.boardLocked)
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
        {mayAdd && (
          <button
            className="arvo-primary arvo-compact"
            data-testid="add-template"
            aria-expanded={open}
            aria-haspopup="menu"
            onClick={() => setOpen((o) => !o)}
          >
            + {t(lang, 'addTemplate')}
          </button>
        )}
        <button
          className="arvo-secondary"
          data-testid="fit-board"
          title={t(lang, 'fitToContent')}
          onClick={() => zoomToFit(editor, { animate: true })}
        >
          {t(lang, 'fitToContent')}
        </button>
        {isFacilitator && <FacilitatorControls />}
      </div>
      {open && mayAdd && (
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
