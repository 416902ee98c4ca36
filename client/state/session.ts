import { createStore } from 'zustand/vanilla'
import { useStore } from 'zustand'
import { detectLanguage, isLanguage, type Language } from '../../shared/i18n/index.ts'
import { isSide, type Side } from '../../shared/protocol.ts'

/** Who this browser is on boards: chosen once, remembered locally. */
export interface Identity {
  id: string
  name: string
  side: Side
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
}

export interface SessionState {
  identity: Identity | null
  language: Language
  connection: ConnectionStatus
  /** Local edits made while not online; they sync when the connection returns. */
  unsyncedEdits: number
  participants: Participant[]
  invalidRecords: number
  setIdentity(identity: Identity): void
  setLanguage(language: Language): void
  setConnection(status: ConnectionStatus): void
  setUnsyncedEdits(n: number): void
  setParticipants(p: Participant[]): void
  addInvalidRecord(): void
}

const IDENTITY_KEY = 'arvo.identity'
const LANGUAGE_KEY = 'arvo.language'

function readIdentity(): Identity | null {
  try {
    const raw = JSON.parse(localStorage.getItem(IDENTITY_KEY) ?? 'null') as Partial<Identity> | null
    if (raw && typeof raw.id === 'string' && typeof raw.name === 'string' && raw.name.trim() && isSide(raw.side)) {
      return { id: raw.id, name: raw.name, side: raw.side }
    }
  } catch {
    // unreadable: ask again
  }
  return null
}

function readLanguage(): Language {
  const stored = localStorage.getItem(LANGUAGE_KEY)
  if (isLanguage(stored)) return stored
  return detectLanguage(navigator.languages ?? [navigator.language])
}

/** Creates the session store (UI and session state only; board content lives in the Y.Doc). */
export function createSessionStore() {
  return createStore<SessionState>()((set) => ({
    identity: readIdentity(),
    language: readLanguage(),
    connection: 'connecting',
    unsyncedEdits: 0,
    participants: [],
    invalidRecords: 0,
    setIdentity(identity) {
      localStorage.setItem(IDENTITY_KEY, JSON.stringify(identity))
      set({ identity })
    },
    setLanguage(language) {
      localStorage.setItem(LANGUAGE_KEY, language)
      document.documentElement.lang = language
      set({ language })
    },
    setConnection: (connection) => set({ connection }),
    setUnsyncedEdits: (unsyncedEdits) => set({ unsyncedEdits }),
    setParticipants: (participants) => set({ participants }),
    addInvalidRecord: () => set((s) => ({ invalidRecords: s.invalidRecords + 1 })),
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
