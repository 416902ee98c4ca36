/**
 * The outline view (issue 12): every note as a list grouped by template → zone → side, with
 * author, dots of the last vote and action fields — what a person who cannot use the canvas
 * works with. Keyboard: Tab reaches every entry and its buttons, ↑/↓ (Home/End) move between
 * entries, Enter edits the focused note (or shows it on the canvas when this person may not
 * write). Editing writes the note's `richText` through the editor, so the board's guards and
 * the server's rules apply as for any edit on the canvas. Live: it follows the throttled board
 * snapshot the insights read.
 */
import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react'
import { useEditor, type TLShapeId } from 'tldraw'
import { richText } from '../../shared/domain/index.ts'
import { sideName, t, type Language } from '../../shared/i18n/index.ts'
import type { Side } from '../../shared/protocol.ts'
import { mayWriteBoard } from '../access/links.ts'
import { CollapseButton } from '../board/CollapseButton.tsx'
import { useBoard } from '../board/context.ts'
import { useWorkshop } from '../facilitation/store.ts'
import { sessionStore, useSession } from '../state/session.ts'
import { useWorkshopUi } from '../workshop/state.ts'
import { outlineModel, type OutlineModel, type OutlineNote } from './outline.ts'
import { outlineState, useOutlineOpen } from './outlineState.ts'
import { showNoteOnCanvas } from './showOnCanvas.ts'
import './export.css'

function useOutline(lang: Language): OutlineModel {
  const { snapshots } = useBoard()
  const snapshot = useSyncExternalStore(snapshots.subscribe, snapshots.getSnapshot)
  const session = useWorkshop((s) => s.session)
  const privateIds = useWorkshopUi((s) => s.privateIds)
  return useMemo(() => {
    const started = performance.now()
    const model = outlineModel(snapshot.shapes, session, lang, privateIds)
    snapshots.reportWork(performance.now() - started)
    return model
  }, [snapshot, session, lang, privateIds, snapshots])
}

function SideSwatch({ side }: { side: Side | null }) {
  return <span className={`arvo-swatch ${side ? `arvo-swatch-${side}` : 'arvo-swatch-none'}`} aria-hidden />
}

interface EntryProps {
  note: OutlineNote
  lang: Language
  writable: boolean
  editing: boolean
  onEdit(): void
  onDone(): void
  onShow(): void
  onKeyDown(e: KeyboardEvent<HTMLLIElement>): void
}

function NoteEntry({ note, lang, writable, editing, onEdit, onDone, onShow, onKeyDown }: EntryProps) {
  const editor = useEditor()
  const [draft, setDraft] = useState(note.text)
  const area = useRef<HTMLTextAreaElement>(null)
  useEffect(() => {
    if (editing) {
      setDraft(note.text)
      requestAnimationFrame(() => {
        area.current?.focus()
        area.current?.select()
      })
    }
    // The draft starts from the text when editing starts; later remote changes do not overwrite it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editing])
  const commit = () => {
    const shape = editor.getShape(note.id as TLShapeId)
    if (writable && shape && shape.type === 'note' && draft.trim() !== note.text) {
      editor.markHistoryStoppingPoint('arvo outline edit')
      editor.updateShape({ id: shape.id, type: 'note', props: { richText: richText(draft.replace(/\s+$/, '')) } })
    }
    onDone()
  }
  const hintId = `arvo-outline-hint-${note.id}`
  return (
    <li
      className={`arvo-outline-note arvo-outline-note-${note.side ?? 'none'}${note.isPrivate ? ' is-private' : ''}`}
      data-testid="outline-note"
      data-note-id={note.id}
      data-side={note.side ?? ''}
      data-private={note.isPrivate}
      data-outline-entry={note.id}
      tabIndex={0}
      aria-label={note.label}
      onKeyDown={onKeyDown}
    >
      {editing ? (
        <div className="arvo-outline-edit">
          <textarea
            ref={area}
            className="arvo-input arvo-outline-textarea"
            data-testid="outline-edit-text"
            aria-label={t(lang, 'outlineEditLabel')}
            aria-describedby={hintId}
            value={draft}
            rows={Math.min(8, Math.max(2, draft.split('\n').length + 1))}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              e.stopPropagation()
              if (e.key === 'Escape') {
                e.preventDefault()
                onDone()
              } else if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault()
                commit()
              }
            }}
          />
          <span id={hintId} className="arvo-muted arvo-small">
            {t(lang, 'outlineEditHint')}
          </span>
          <span className="arvo-outline-buttons">
            <button type="button" className="arvo-secondary arvo-outline-button" data-testid="outline-cancel" onClick={onDone}>
              {t(lang, 'outlineCancel')}
            </button>
            <button type="button" className="arvo-primary arvo-outline-button" data-testid="outline-save" onClick={commit}>
              {t(lang, 'outlineSave')}
            </button>
          </span>
        </div>
      ) : (
        <p className="arvo-outline-text" data-testid="outline-note-text" lang="">
          {note.text || <span className="arvo-muted">{t(lang, 'outlineEmptyNote')}</span>}
        </p>
      )}
      <div className="arvo-outline-meta">
        <span className="arvo-outline-author">
          <SideSwatch side={note.side} />
          <span>{note.authorName ? note.authorName : t(lang, 'outlineNoAuthor')}</span>
        </span>
        {note.votes && (note.votes.provider > 0 || note.votes.customer > 0) && (
          <span
            className="arvo-outline-dots"
            data-testid="outline-dots"
            data-provider={note.votes.provider}
            data-customer={note.votes.customer}
            title={t(lang, 'outlineDots', { provider: String(note.votes.provider), customer: String(note.votes.customer) })}
          >
            <span className="arvo-pill arvo-pill-provider">{note.votes.provider}</span>
            <span className="arvo-pill arvo-pill-customer">{note.votes.customer}</span>
          </span>
        )}
        {note.isPrivate && (
          <span className="arvo-outline-private" data-testid="outline-private">
            {t(lang, 'outlinePrivate')}
          </span>
        )}
      </div>
      {(note.owner || note.ownerSide || note.due) && (
        <div className="arvo-outline-meta arvo-muted">
          {(note.owner || note.ownerSide) && (
            <span>
              {t(lang, 'actionOwner')}: {[note.owner, note.ownerSide ? sideName(lang, note.ownerSide) : null].filter(Boolean).join(' · ')}
            </span>
          )}
          {note.due && <span>{t(lang, 'outlineDue', { due: note.due })}</span>}
        </div>
      )}
      {!editing && (
        <span className="arvo-outline-buttons">
          <button type="button" className="arvo-secondary arvo-outline-button" data-testid="outline-show-on-canvas" onClick={onShow}>
            {t(lang, 'outlineShowOnCanvas')}
          </button>
          {writable && (
            <button type="button" className="arvo-secondary arvo-outline-button" data-testid="outline-edit" onClick={onEdit}>
              {t(lang, 'outlineEdit')}
            </button>
          )}
        </span>
      )}
    </li>
  )
}

function OutlineBody({ lang }: { lang: Language }) {
  const editor = useEditor()
  const { access } = useBoard()
  const flags = useSession((s) => s.sessionFlags)
  const writable = mayWriteBoard(access.role, flags)
  const model = useOutline(lang)
  const [editing, setEditing] = useState<string | null>(null)
  const list = useRef<HTMLDivElement>(null)
  const focusEntry = (id: string | undefined) => {
    if (!id) return
    list.current?.querySelector<HTMLElement>(`[data-outline-entry="${CSS.escape(id)}"]`)?.focus()
  }
  // Someone who may no longer write (board locked, note gone) leaves the editor.
  useEffect(() => {
    if (editing && (!writable || !model.order.includes(editing))) setEditing(null)
  }, [editing, writable, model.order])

  const onKeyDown = (id: string) => (e: KeyboardEvent<HTMLLIElement>) => {
    if (e.target !== e.currentTarget) return
    const i = model.order.indexOf(id)
    const go = (j: number) => {
      e.preventDefault()
      e.stopPropagation()
      focusEntry(model.order[Math.max(0, Math.min(model.order.length - 1, j))])
    }
    if (e.key === 'ArrowDown') go(i + 1)
    else if (e.key === 'ArrowUp') go(i - 1)
    else if (e.key === 'Home') go(0)
    else if (e.key === 'End') go(model.order.length - 1)
    else if (e.key === 'Enter') {
      e.preventDefault()
      e.stopPropagation()
      if (writable) setEditing(id)
      else showNoteOnCanvas(editor, id as TLShapeId)
    } else if (e.key.length === 1 || e.key === 'Delete' || e.key === 'Backspace') {
      // tldraw's shortcuts (n, v, Delete…) are for the canvas, not for the list.
      e.stopPropagation()
    }
  }
  const done = (id: string) => () => {
    setEditing(null)
    requestAnimationFrame(() => focusEntry(id))
  }

  return (
    <div className="arvo-outline-body" ref={list} data-testid="outline-tree">
      <p className="arvo-muted arvo-small">{t(lang, writable ? 'outlineIntro' : 'outlineIntroReadOnly')}</p>
      {!writable && (
        <p className="arvo-small arvo-outline-readonly" data-testid="outline-readonly">
          {t(lang, 'outlineReadOnly')}
        </p>
      )}
      {model.total === 0 && (
        <p className="arvo-muted arvo-small" data-testid="outline-empty">
          {t(lang, 'outlineEmpty')}
        </p>
      )}
      {model.templates.map((tpl) => (
        <section
          key={tpl.instance ?? 'outside'}
          className="arvo-outline-template"
          data-testid="outline-template"
          data-instance={tpl.instance ?? ''}
          aria-label={tpl.title}
        >
          <h3 className="arvo-outline-h3">
            <span className="arvo-outline-heading-text">{tpl.title}</span>
            <span className="arvo-count">{t(lang, 'outlineNoteCount', { count: tpl.count })}</span>
          </h3>
          {tpl.zones.filter((z) => z.count > 0).map((z) => (
            <div key={z.key} className="arvo-outline-zone" data-testid="outline-zone" data-zone={z.zone} data-count={z.count}>
              {tpl.instance !== null && (
                <h4 className="arvo-outline-h4">
                  <span className="arvo-outline-heading-text">{z.label}</span>
                  <span className="arvo-count">{z.count}</span>
                </h4>
              )}
              {z.sides.map((s) => (
                <div key={s.side ?? 'none'} className="arvo-outline-side" data-testid="outline-side" data-side={s.side ?? ''}>
                  <h5 className="arvo-outline-h5">
                    <SideSwatch side={s.side} />
                    {s.side ? sideName(lang, s.side) : t(lang, 'outlineNoAuthor')}
                  </h5>
                  <ul className="arvo-outline-notes">
                    {s.notes.map((n) => (
                      <NoteEntry
                        key={n.id}
                        note={n}
                        lang={lang}
                        writable={writable}
                        editing={editing === n.id}
                        onEdit={() => setEditing(n.id)}
                        onDone={done(n.id)}
                        onShow={() => showNoteOnCanvas(editor, n.id as TLShapeId)}
                        onKeyDown={onKeyDown(n.id)}
                      />
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          ))}
          {tpl.zones.some((z) => z.count === 0) && (
            <details className="arvo-subsection arvo-outline-empty" data-testid="outline-empty-zones">
              <summary>{t(lang, 'emptyZonesCount', { count: tpl.zones.filter((z) => z.count === 0).length })}</summary>
              <p className="arvo-muted arvo-small arvo-outline-none">
                {t(lang, 'outlineEmptyZones', { zones: tpl.zones.filter((z) => z.count === 0).map((z) => z.label).join(' · ') })}
              </p>
            </details>
          )}
        </section>
      ))}
    </div>
  )
}

/** The outline's toggle (closed) or the panel (open), in the left column. */
export function OutlinePanel() {
  const lang = useSession((s) => s.language)
  const open = useOutlineOpen()
  if (!open) {
    return (
      <button
        type="button"
        className="arvo-panel arvo-outline-toggle"
        data-testid="outline-show"
        aria-expanded={false}
        onClick={() => {
          // The list needs the column's height: the insights fold away (one click brings them back).
          sessionStore.getState().setInsightsOpen(false)
          outlineState.getState().setOpen(true)
        }}
      >
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden>
          <path d="M2 3.5h2M6 3.5h8M2 8h2M6 8h8M2 12.5h2M6 12.5h8" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
        </svg>
        {t(lang, 'outlineOpen')}
      </button>
    )
  }
  return (
    <section className="arvo-panel arvo-outline" data-testid="outline-panel" aria-label={t(lang, 'outlineTitle')}>
      <div className="arvo-panel-row">
        <h2 className="arvo-panel-title">{t(lang, 'outlineTitle')}</h2>
        <CollapseButton label={t(lang, 'outlineClose')} testId="outline-hide" onClick={() => outlineState.getState().setOpen(false)} />
      </div>
      <OutlineBody lang={lang} />
    </section>
  )
}
