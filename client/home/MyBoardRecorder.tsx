import { useEffect, useRef } from 'react'
import { templateInstances } from '../../shared/domain/index.ts'
import { useBoard } from '../board/context.ts'
import { useWorkshop } from '../facilitation/store.ts'
import { ACTIVITY_THROTTLE_MS, changesShape, readMyBoards, recordBoard, type BoardRecord } from './myBoards.ts'

function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

/** The template kinds on the board now, from the throttled snapshot of its shapes. */
function templatesOf(shapes: readonly unknown[]): string[] {
  return templateInstances(shapes).map((i) => i.template)
}

/**
 * Keeps this board in the home page's "My boards" (HOME-3) while a facilitator has it open:
 * its session title and templates at once when they change, its last activity (any change on
 * the board, by anyone, as the insights snapshots see it; a new title) at most every
 * {@link ACTIVITY_THROTTLE_MS}, and a pending one when the page is left. Renders nothing.
 */
export function MyBoardRecorder() {
  const { boardId, access, snapshots } = useBoard()
  const title = useWorkshop((s) => s.session.title)
  const facilitator = access.role === 'facilitator'
  const titleRef = useRef(title)
  titleRef.current = title
  const activity = useRef<{ flush(): void; touch(): void } | null>(null)

  useEffect(() => {
    const store = storage()
    if (!facilitator || !store) return
    let lastWrite = 0
    let pending: number | null = null
    let timer: ReturnType<typeof setTimeout> | null = null
    const record = (r: Omit<BoardRecord, 'id'>) => recordBoard(store, { id: boardId, ...r }, Date.now())
    const flush = () => {
      if (timer) clearTimeout(timer)
      timer = null
      if (pending === null) return
      record({ lastActivity: pending })
      lastWrite = Date.now()
      pending = null
    }
    const touch = () => {
      pending = Date.now()
      const wait = lastWrite + ACTIVITY_THROTTLE_MS - Date.now()
      if (wait <= 0) flush()
      else if (!timer) timer = setTimeout(flush, wait)
    }
    activity.current = { flush, touch }
    // Opening the board lists it (a facilitator link opened here adds it) without counting as activity.
    record({ title: titleRef.current, templates: templatesOf(snapshots.getSnapshot().shapes) })
    const stop = snapshots.subscribe(() => {
      const templates = templatesOf(snapshots.getSnapshot().shapes)
      if (changesShape(readMyBoards(store), { id: boardId, templates })) record({ templates })
      touch()
    })
    window.addEventListener('pagehide', flush)
    return () => {
      stop()
      window.removeEventListener('pagehide', flush)
      flush()
      activity.current = null
    }
  }, [boardId, facilitator, snapshots])

  const firstTitle = useRef(true)
  useEffect(() => {
    const store = storage()
    if (!facilitator || !store) return
    if (firstTitle.current) {
      firstTitle.current = false
      return // recorded with the board on mount
    }
    if (changesShape(readMyBoards(store), { id: boardId, title })) {
      recordBoard(store, { id: boardId, title }, Date.now())
      activity.current?.touch()
    }
  }, [boardId, facilitator, title])

  return null
}
