import { useEffect, useState } from 'react'
import { useEditor, useValue, type TLShape } from 'tldraw'
import { isIsoDate, MAX_NAME_LENGTH, readArvoMeta, withActionFields, zoneLabel } from '../../shared/domain/index.ts'
import { t, sideName } from '../../shared/i18n/index.ts'
import type { Side } from '../../shared/protocol.ts'
import { sessionStore, useSession } from '../state/session.ts'
import { useInsights } from './context.ts'
import { CollapseButton } from './CollapseButton.tsx'

type Changes = Parameters<typeof withActionFields>[1]

/**
 * When exactly one note in an action plan is selected: its owner side, owner and due date
 * (META-6). Anyone may set them; the note keeps its author.
 */
export function ActionPanel() {
  const editor = useEditor()
  const lang = useSession((s) => s.language)
  const participants = useSession((s) => s.participants)
  const open = useSession((s) => s.actionPanelOpen)
  const insights = useInsights(lang)
  const note = useValue(
    'arvo selected note',
    () => {
      const s = editor.getOnlySelectedShape()
      return s && s.type === 'note' ? s : null
    },
    [editor],
  )
  const zone = note ? insights.zoneOfNote(note.id) : null
  const meta = note ? readArvoMeta(note) : null
  const [owner, setOwner] = useState('')
  const currentOwner = meta?.kind === 'note' ? (meta.owner ?? '') : ''
  useEffect(() => setOwner(currentOwner), [note?.id, currentOwner])

  if (!note || zone?.template !== 'actionPlan' || meta?.kind !== 'note') return null

  const apply = (changes: Changes) => {
    const shape = editor.getShape(note.id)
    if (!shape) return
    editor.updateShape({ id: shape.id, type: shape.type, meta: withActionFields(shape.meta, changes) } as Partial<TLShape> & Pick<TLShape, 'id' | 'type'>)
  }
  const commitOwner = () => {
    const v = owner.trim().slice(0, MAX_NAME_LENGTH)
    if (v !== currentOwner) apply({ owner: v ? v : null })
  }
  const toggleSide = (side: Side) => apply({ ownerSide: meta.ownerSide === side ? null : side })
  const names = [...new Set(participants.map((p) => p.name))]
  const setOpen = (o: boolean) => sessionStore.getState().setPanelOpen('action', o)

  if (!open) {
    return (
      <button className="arvo-panel arvo-insights-toggle" data-testid="action-panel-show" aria-expanded={false} onClick={() => setOpen(true)}>
        {t(lang, 'actionPanelTitle')}
      </button>
    )
  }
  return (
    <section className="arvo-panel arvo-action-panel" data-testid="action-panel" aria-label={t(lang, 'actionPanelTitle')}>
      <div className="arvo-panel-row">
        <h2 className="arvo-panel-title">{t(lang, 'actionPanelTitle')}</h2>
        <CollapseButton label={t(lang, 'hidePanel')} testId="action-panel-hide" onClick={() => setOpen(false)} />
      </div>
      <p className="arvo-muted arvo-small">
        {zoneLabel('actionPlan', zone.zone, lang) ?? zone.zone}
        <br />
        <span className={`arvo-swatch arvo-swatch-${meta.side}`} aria-hidden /> {t(lang, 'writtenBy', { name: meta.authorName || '—' })}
      </p>
      <div className="arvo-field-row">
        <span className="arvo-field-label">{t(lang, 'actionOwnerSide')}</span>
        <div className="arvo-segmented" role="group" aria-label={t(lang, 'actionOwnerSide')}>
          {(['provider', 'customer'] as const).map((side) => (
            <button
              key={side}
              className={`arvo-seg arvo-seg-${side}${meta.ownerSide === side ? ' is-on' : ''}`}
              aria-pressed={meta.ownerSide === side}
              data-testid={`action-owner-side-${side}`}
              onClick={() => toggleSide(side)}
            >
              {sideName(lang, side)}
            </button>
          ))}
        </div>
      </div>
      <label className="arvo-field-row">
        <span className="arvo-field-label">{t(lang, 'actionOwner')}</span>
        <input
          className="arvo-input"
          data-testid="action-owner"
          list="arvo-owner-names"
          value={owner}
          maxLength={MAX_NAME_LENGTH}
          onChange={(e) => setOwner(e.target.value)}
          onBlur={commitOwner}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commitOwner()
            if (e.key === 'Escape') setOwner(currentOwner)
            e.stopPropagation()
          }}
        />
        <datalist id="arvo-owner-names">
          {names.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
      </label>
      <label className="arvo-field-row">
        <span className="arvo-field-label">{t(lang, 'actionDue')}</span>
        <span className="arvo-inline">
          <input
            className="arvo-input"
            type="date"
            data-testid="action-due"
            value={meta.due ?? ''}
            onChange={(e) => {
              const v = e.target.value
              if (v === '') apply({ due: null })
              else if (isIsoDate(v)) apply({ due: v })
            }}
            onKeyDown={(e) => e.stopPropagation()}
          />
          {meta.due && (
            <button className="arvo-secondary" data-testid="action-due-clear" onClick={() => apply({ due: null })}>
              {t(lang, 'actionClear')}
            </button>
          )}
        </span>
      </label>
    </section>
  )
}
