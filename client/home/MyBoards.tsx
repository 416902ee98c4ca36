import { useEffect, useId, useRef, useState } from 'react'
import { t, type Language } from '../../shared/i18n/index.ts'
import { readToken } from '../access/tokens.ts'
import { fetchLinks } from '../access/links.ts'
import { TEMPLATE_NAME_KEYS } from '../board/templateNames.ts'
import { linksText, MY_BOARDS_KEY, readMyBoards, relativeTime, removeMyBoard, type MyBoard } from './myBoards.ts'
import './home.css'

function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

/** This browser's list, re-read when another tab changes it. */
function useMyBoards(): [MyBoard[], (id: string) => void] {
  const [boards, setBoards] = useState<MyBoard[]>(() => {
    const s = storage()
    return s ? readMyBoards(s) : []
  })
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      const s = storage()
      if (s && (e.key === MY_BOARDS_KEY || e.key === null)) setBoards(readMyBoards(s))
    }
    window.addEventListener('storage', onStorage)
    return () => window.removeEventListener('storage', onStorage)
  }, [])
  const remove = (id: string) => {
    const s = storage()
    if (s) setBoards(removeMyBoard(s, id))
  }
  return [boards, remove]
}

/** The current time, moving on every 30 s so that "5 minutes ago" stays true. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000)
    return () => clearInterval(timer)
  }, [])
  return now
}

/**
 * "My boards" on the home page (HOME-4): the boards this browser facilitates, newest activity
 * first, each with its title, last activity, templates, and Open / Copy links / Remove from list.
 */
export function MyBoards({ lang }: { lang: Language }) {
  const [boards, remove] = useMyBoards()
  const now = useNow()
  const heading = useRef<HTMLHeadingElement>(null)
  return (
    <section className="arvo-card arvo-my-boards" aria-labelledby="arvo-my-boards-title" data-testid="my-boards">
      <div className="arvo-my-boards-top">
        <h2 id="arvo-my-boards-title" ref={heading} tabIndex={-1}>
          {t(lang, 'myBoards')}
        </h2>
        {boards.length > 0 && (
          <span className="arvo-count" data-testid="my-boards-count">
            {t(lang, 'myBoardsCount', { count: boards.length })}
          </span>
        )}
      </div>
      <p className="arvo-muted arvo-small">{t(lang, boards.length > 0 ? 'myBoardsIntro' : 'myBoardsEmpty')}</p>
      {boards.length > 0 && (
        <ul className="arvo-my-boards-list">
          {boards.map((b) => (
            <MyBoardItem
              key={b.id}
              lang={lang}
              board={b}
              now={now}
              onRemove={() => {
                remove(b.id)
                heading.current?.focus()
              }}
            />
          ))}
        </ul>
      )}
    </section>
  )
}

function MyBoardItem(props: { lang: Language; board: MyBoard; now: number; onRemove(): void }) {
  const { lang, board, now } = props
  const titleId = useId()
  const [confirming, setConfirming] = useState(false)
  const [copy, setCopy] = useState<'idle' | 'busy' | 'copied' | 'failed'>('idle')
  const confirmButton = useRef<HTMLButtonElement>(null)
  const removeButton = useRef<HTMLButtonElement>(null)
  const title = board.title ?? t(lang, 'untitledBoard')
  const templates = board.templates.map((k) => t(lang, TEMPLATE_NAME_KEYS[k]))

  useEffect(() => {
    if (confirming) confirmButton.current?.focus()
  }, [confirming])

  async function copyLinks() {
    const s = storage()
    const token = s ? readToken(s, board.id) : null
    setCopy('busy')
    try {
      if (!token) throw new Error('no token in this browser')
      const { links } = await fetchLinks(board.id, token)
      await navigator.clipboard.writeText(linksText(lang, title, links, window.location.origin))
      setCopy('copied')
      setTimeout(() => setCopy((c) => (c === 'copied' ? 'idle' : c)), 2500)
    } catch {
      setCopy('failed')
    }
  }

  const cancel = () => {
    setConfirming(false)
    removeButton.current?.focus()
  }

  return (
    <li className="arvo-my-board" data-testid="my-board" data-board={board.id} aria-labelledby={titleId}>
      <div className="arvo-my-board-head">
        <h3 id={titleId} className={board.title ? undefined : 'is-untitled'} data-testid="my-board-title">
          {title}
        </h3>
        <time className="arvo-muted arvo-small" dateTime={new Date(board.lastActivity).toISOString()} data-testid="my-board-activity">
          {t(lang, 'lastActivity', { when: relativeTime(lang, board.lastActivity, now) })}
        </time>
      </div>
      {!board.title && <p className="arvo-muted arvo-small arvo-my-board-id">{board.id}</p>}
      <p className="arvo-small arvo-my-board-templates" data-testid="my-board-templates">
        <span className="arvo-muted">{t(lang, 'boardTemplates')}: </span>
        {templates.length > 0 ? templates.join(', ') : <span className="arvo-muted">{t(lang, 'boardNoTemplates')}</span>}
      </p>
      <div className="arvo-my-board-actions">
        <a className="arvo-primary" href={`/b/${encodeURIComponent(board.id)}`} aria-describedby={titleId} data-testid="my-board-open">
          {t(lang, 'openBoard')}
        </a>
        <button
          type="button"
          className="arvo-secondary"
          aria-describedby={titleId}
          disabled={copy === 'busy'}
          onClick={copyLinks}
          data-testid="my-board-copy"
        >
          {t(lang, copy === 'copied' ? 'linksCopied' : 'copyLinks')}
        </button>
        <button
          type="button"
          ref={removeButton}
          className="arvo-secondary"
          aria-describedby={titleId}
          aria-expanded={confirming}
          onClick={() => setConfirming(true)}
          data-testid="my-board-remove"
        >
          {t(lang, 'removeFromList')}
        </button>
      </div>
      <span className="arvo-visually-hidden" role="status">
        {copy === 'copied' ? t(lang, 'linksCopied') : ''}
      </span>
      {copy === 'failed' && (
        <p className="arvo-error arvo-small" role="alert" data-testid="my-board-copy-failed">
          {t(lang, 'copyLinksFailed')}
        </p>
      )}
      {confirming && (
        <div
          className="arvo-my-board-confirm"
          role="alertdialog"
          aria-label={t(lang, 'removeFromList')}
          data-testid="my-board-confirm"
          onKeyDown={(e) => {
            if (e.key === 'Escape') cancel()
          }}
        >
          <p>{t(lang, 'removeFromListConfirm', { title })}</p>
          <div className="arvo-my-board-actions">
            <button type="button" ref={confirmButton} className="arvo-danger" onClick={props.onRemove} data-testid="my-board-confirm-remove">
              {t(lang, 'confirmRemove')}
            </button>
            <button type="button" className="arvo-secondary" onClick={cancel}>
              {t(lang, 'cancel')}
            </button>
          </div>
        </div>
      )}
    </li>
  )
}
