import { useEffect } from 'react'
import { useEditor, useValue } from 'tldraw'
import { readArvoMeta } from '../../shared/domain/index.ts'
import { t } from '../../shared/i18n/index.ts'
import { sessionStore, useSession } from '../state/session.ts'
import { useBoard } from './context.ts'

/**
 * A short first-time hint (HINT-1): how to place a note, and — only for what is on the board —
 * where to drag it and how to rate the staircase. Shown until dismissed in this browser or
 * until this person has placed a note.
 */
export function FirstHint() {
  const dismissed = useSession((s) => s.hintDismissed)
  // A viewer places nothing: the hint is for people who write.
  const { access } = useBoard()
  return dismissed || access.role === 'viewer' ? null : <Hint />
}

function Hint() {
  const editor = useEditor()
  const lang = useSession((s) => s.language)
  const { identity } = useBoard()
  const state = useValue(
    'arvo hint',
    () => {
      let placed = false
      const kinds = new Set<string>()
      for (const s of editor.getCurrentPageShapes()) {
        const m = readArvoMeta(s)
        if (!m) continue
        if (m.kind === 'note') placed ||= m.authorId === identity.id
        else kinds.add(m.template)
      }
      return `${placed}|${[...kinds].sort().join(',')}`
    },
    [editor, identity.id],
  )
  const [placed, kindList] = state.split('|')
  const kinds = kindList ? kindList.split(',') : []
  useEffect(() => {
    if (placed === 'true') sessionStore.getState().dismissHint()
  }, [placed])
  if (placed === 'true') return null
  return (
    <aside className="arvo-hint" data-testid="first-hint" aria-labelledby="arvo-hint-title">
      <h2 className="arvo-hint-title" id="arvo-hint-title">
        {t(lang, 'hintTitle')}
      </h2>
      <ul className="arvo-hint-list">
        <li>{t(lang, 'hintPlaceNote')}</li>
        {kinds.length > 0 ? <li>{t(lang, 'hintDragNote')}</li> : <li>{t(lang, 'hintAddTemplate')}</li>}
        {kinds.includes('staircase') && <li data-testid="hint-rate">{t(lang, 'hintRateStaircase')}</li>}
      </ul>
      <button className="arvo-secondary arvo-hint-dismiss" data-testid="hint-dismiss" onClick={() => sessionStore.getState().dismissHint()}>
        {t(lang, 'hintDismiss')}
      </button>
    </aside>
  )
}
