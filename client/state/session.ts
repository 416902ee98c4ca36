import { createStore } from 'zustand/vanilla'
import { useStore } from 'zustand'
import { detectLanguage, isLanguage, type Language } from '../../shared/i18n/index.ts'
import { isSide, type Role, type SessionFlags, type Side } from '../../shared/protocol.ts'
import { HINT_KEY, initialPanelOpen, PANEL_KEYS, type PanelId } from './panels.ts'

/**
 * Who this browser is on boards: the name is asked once and remembered locally; `side` is the
 * side a facilitator chose for their own notes (participants' sides come from their links,
 * ROLE-C1). The id is a local one; on a board the server's person id is used instead.
 */
export interface Identity {
  id: string
  name: string
  side: Side | null
}

/**
 * Connection status state machine (client/SPEC.md CON-1):
 * connecting -> online -> reconnecting -> online ...; `online` only once the server's
 * state has been received (synced), so edits shown as online are really shared.
 */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting'

export interface Participant {
  clientId: number
  userId: string
  name: string
  side: Side
  color: string
  idle: boolean
  isSelf: boolean
  /** The role the server set in the awareness state (self: this browser's own). */
  role: Role
}

export interface SessionState {
  identity: Identity | null
  language: Language
  connection: ConnectionStatus
  /** Local edits made while not online; they sync when the connection returns. */
  unsyncedEdits: number
  participants: Participant[]
  invalidRecords: number
  /** Whether the insights panel is open (remembered in this browser; PNL-1). */
  insightsOpen: boolean
  /** Whether the participants panel is open (remembered in this browser; PNL-1). */
  participantsOpen: boolean
  /** Whether the action-plan panel is open when a note of an action plan is selected (PNL-1). */
  actionPanelOpen: boolean
  /** The first-time hint was dismissed in this browser, or its first note placed (HINT-1). */
  hintDismissed: boolean
  /** A short-lived message for this person (e.g. "you can set only your own side's rating"). */
  notice: { text: string; id: number } | null
  /** The board's `session` flags as the doc has them now (ROLE-C3; board content stays in the doc). */
  sessionFlags: SessionFlags
  setIdentity(identity: Identity): void
  setLanguage(language: Language): void
  setConnection(status: ConnectionStatus): void
  setUnsyncedEdits(n: number): void
  setParticipants(p: Participant[]): void
  addInvalidRecord(): void
  setInsightsOpen(open: boolean): void
  /** Opens or collapses one panel and remembers it in this browser. */
  setPanelOpen(panel: PanelId, open: boolean): void
  dismissHint(): void
  /** Shows `text` as a notice; it clears itself after a few seconds. */
  showNotice(text: string): void
  clearNotice(id: number): void
  setSessionFlags(flags: SessionFlags): void
}

const IDENTITY_KEY = 'arvo.identity'
const LANGUAGE_KEY = 'arvo.language'
/** How long a notice stays up. */
export const NOTICE_MS = 4000

/**
 * localStorage, best effort: storage that is full, blocked by policy or absent never breaks the
 * board — state lives in the store, and is only not remembered for the next visit.
 */
function storedItem(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}
function storeItem(key: string, value: string): void {
  try {
    localStorage.setItem(key, value)
  } catch {
    // not remembered in this browser
  }
}

function readIdentity(): Identity | null {
  try {
    const raw = JSON.parse(storedItem(IDENTITY_KEY) ?? 'null') as Partial<Identity> | null
    if (raw && typeof raw.id === 'string' && typeof raw.name === 'string' && raw.name.trim()) {
      return { id: raw.id, name: raw.name, side: isSide(raw.side) ? raw.side : null }
    }
  } catch {
    // unreadable: ask again
  }
  return null
}

function readLanguage(): Language {
  const stored = storedItem(LANGUAGE_KEY)
  if (isLanguage(stored)) return stored
  return detectLanguage(navigator.languages ?? [navigator.language])
}

function readPanelOpen(panel: PanelId): boolean {
  return initialPanelOpen(storedItem(PANEL_KEYS[panel]), window.innerWidth)
}

/** Creates the session store (UI and session state only; board content lives in the Y.Doc). */
export function createSessionStore() {
  return createStore<SessionState>()((set, get) => ({
    identity: readIdentity(),
    language: readLanguage(),
    connection: 'connecting',
    unsyncedEdits: 0,
    participants: [],
    invalidRecords: 0,
    insightsOpen: readPanelOpen('insights'),
    participantsOpen: readPanelOpen('participants'),
    actionPanelOpen: readPanelOpen('action'),
    hintDismissed: storedItem(HINT_KEY) === 'true',
    notice: null,
    sessionFlags: { boardLocked: false, templatesUnlocked: false },
    setSessionFlags(flags) {
      const prev = get().sessionFlags
      if (prev.boardLocked !== flags.boardLocked || prev.templatesUnlocked !== flags.templatesUnlocked) set({ sessionFlags: flags })
    },
    setIdentity(identity) {
      set({ identity })
      storeItem(IDENTITY_KEY, JSON.stringify(identity))
    },
    setLanguage(language) {
      document.documentElement.lang = language
      set({ language })
      storeItem(LANGUAGE_KEY, language)
    },
    setConnection: (connection) => set({ connection }),
    setUnsyncedEdits: (unsyncedEdits) => set({ unsyncedEdits }),
    setParticipants: (participants) => set({ participants }),
    addInvalidRecord: () => set((s) => ({ invalidRecords: s.invalidRecords + 1 })),
    setInsightsOpen(open) {
      get().setPanelOpen('insights', open)
    },
    setPanelOpen(panel, open) {
      set(panel === 'insights' ? { insightsOpen: open } : panel === 'participants' ? { participantsOpen: open } : { actionPanelOpen: open })
      storeItem(PANEL_KEYS[panel], String(open))
    },
    dismissHint() {
      set({ hintDismissed: true })
      storeItem(HINT_KEY, 'true')
    },
    showNotice(text) {
      const id = (get().notice?.id ?? 0) + 1
      set({ notice: { text, id } })
      setTimeout(() => get().clearNotice(id), NOTICE_MS)
    },
    clearNotice(id) {
      if (get().notice?.id === id) set({ notice: null })
    },
  }))
}

/** The one session store of this tab. */
export const sessionStore = createSessionStore()

/** React binding: subscribe to a slice of the session. */
export function useSession<T>(selector: (s: SessionState) => T): T {
  return useStore(sessionStore, selector)
}

/** A random id for a new identity (not time-based). */
export function newUserId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
