/**
 * Wires `privateNotes.ts` into the board (PRIV-1..3): the facilitator's `privateMode` from the
 * workshop store, the connection status and the board lock from the session store, the
 * awareness field `privateNotes` (a count, never content) and the ids the canvas marks.
 * `BoardCanvas` makes one per bound store and disposes it with the bridge.
 */
import type { TLStore } from '@tldraw/tlschema'
import { PRIVATE_NOTES_AWARENESS_FIELD } from '../../shared/facilitation/index.ts'
import { workshopStore } from '../facilitation/store.ts'
import { sessionStore } from '../state/session.ts'
import type { Bridge, LocalRecords } from '../sync/bridge.ts'
import type { BoardConnection } from '../sync/connection.ts'
import { createPrivateNotes, type NoteStorage } from './privateNotes.ts'
import { workshopUi } from './state.ts'

export interface PrivateNotesBinding {
  readonly local: LocalRecords
  attach(bridge: Pick<Bridge, 'publish'>): void
  evaluate(): void
  dispose(): void
}

function browserStorage(): NoteStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

export function bindPrivateNotes(o: {
  store: TLStore
  connection: BoardConnection
  boardId: string
  personId: string
  mayWrite(): boolean
}): PrivateNotesBinding {
  let synced = false
  const notes = createPrivateNotes({
    store: o.store,
    storage: browserStorage(),
    boardId: o.boardId,
    personId: o.personId,
    mode: () => workshopStore.getState().session.privateMode,
    conditions: () => ({ synced, online: sessionStore.getState().connection === 'online', mayWrite: o.mayWrite() }),
    announce: (p) => o.connection.awareness.setLocalStateField(PRIVATE_NOTES_AWARENESS_FIELD, p),
    onInvalid: (id, reason) => console.warn(`[arvo] private note ${id} skipped: ${reason}`),
  })
  let scheduled = false
  // Publishing writes the doc: never from inside a Yjs observer or a store listener.
  const evaluate = () => {
    if (scheduled) return
    scheduled = true
    queueMicrotask(() => {
      scheduled = false
      notes.evaluate()
    })
  }
  const unsubscribeIds = notes.subscribe(() => workshopUi.getState().setPrivateIds(notes.ids()))
  const unsubscribeSession = sessionStore.subscribe((s, prev) => {
    if (s.connection !== prev.connection || s.sessionFlags !== prev.sessionFlags) evaluate()
  })
  return {
    local: notes.local,
    attach(bridge) {
      // BoardCanvas binds after the first sync: the session map is the server's by now.
      synced = true
      notes.attach(bridge)
      workshopUi.getState().setPrivateIds(notes.ids())
    },
    evaluate,
    dispose() {
      unsubscribeIds()
      unsubscribeSession()
      notes.dispose()
      workshopUi.getState().setPrivateIds(new Set())
    },
  }
}
