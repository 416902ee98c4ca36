import { react, type Signal } from '@tldraw/state'
import {
  createPresenceStateDerivation,
  InstancePresenceRecordType,
  type TLInstancePresence,
  type TLStore,
  type TLUser,
} from '@tldraw/tlschema'
import type { Awareness } from 'y-protocols/awareness'
import { isPresenceUser, ROLES, type PresenceUser, type Role } from '../../shared/protocol.ts'
import type { Participant } from '../state/session.ts'

/** A person counts as idle after this long without pointer or keyboard activity. */
export const IDLE_AFTER_MS = 60_000
/** Local presence (cursor) is published at most this often. */
export const PRESENCE_INTERVAL_MS = 50

interface AwarenessState {
  user?: PresenceUser
  presence?: TLInstancePresence | null
  /** Sender's clock at its last pointer/keyboard activity (compared only for change, never across clocks). */
  activeAt?: number
}

/** Activity publishing: at most once per this interval. */
const ACTIVITY_INTERVAL_MS = 5_000
const ACTIVITY_EVENTS = ['pointermove', 'pointerdown', 'keydown', 'wheel', 'focus'] as const

/**
 * Presence over Yjs awareness (not the doc), rule PRS-1: publishes this tab's `user` and
 * tldraw presence (cursor, selection, page) at most every PRESENCE_INTERVAL_MS, and mirrors
 * the other tabs' states into the store as `instance_presence` records so tldraw draws
 * their cursors labelled with their names in their colours. Returns a dispose function.
 */
export function bindPresence(
  store: TLStore,
  awareness: Awareness,
  user: PresenceUser,
  $user: Signal<TLUser | null>,
  onParticipants: (p: Participant[]) => void,
  /** Records only this device holds (private notes, PRIV-1): their ids never go into the selection others see. */
  isLocal: (id: string) => boolean = () => false,
): () => void {
  awareness.setLocalStateField('user', user)
  awareness.setLocalStateField('activeAt', Date.now())
  let lastActivity = Date.now()
  const onActivity = () => {
    const now = Date.now()
    if (now - lastActivity < ACTIVITY_INTERVAL_MS) return
    lastActivity = now
    awareness.setLocalStateField('activeAt', now)
  }
  for (const e of ACTIVITY_EVENTS) window.addEventListener(e, onActivity, { passive: true, capture: true })
  const activity = new ActivityTracker()
  let stopped = false
  const $presence = createPresenceStateDerivation($user)(store)
  let timer: ReturnType<typeof setTimeout> | null = null
  let last = 0
  const publish = () => {
    timer = null
    last = Date.now()
    const presence = $presence.get()
    const selected = presence?.selectedShapeIds
    // PRS-2: a private note's id is nobody else's business (not even that it is selected)
    const shown = presence && selected?.some((id) => isLocal(id)) ? { ...presence, selectedShapeIds: selected.filter((id) => !isLocal(id)) } : presence
    awareness.setLocalStateField('presence', shown)
  }
  const stopReact = react('arvo presence', () => {
    $presence.get()
    if (timer) return
    const wait = Math.max(0, PRESENCE_INTERVAL_MS - (Date.now() - last))
    timer = setTimeout(publish, wait)
  })

  const presenceId = (clientId: number) => InstancePresenceRecordType.createId(`yjs-${clientId}`)
  // Remote presence changes are buffered and applied once per animation frame.
  const changed = new Set<number>()
  let scheduled = false
  let lastParticipants = ''
  const reportParticipants = () => {
    const list = listParticipants(awareness, activity)
    const key = JSON.stringify(list)
    if (key !== lastParticipants) {
      lastParticipants = key
      onParticipants(list)
    }
  }
  const applyPresence = () => {
    scheduled = false
    if (stopped) return
    const states = awareness.getStates() as Map<number, AwarenessState>
    const puts: TLInstancePresence[] = []
    const removes: TLInstancePresence['id'][] = []
    for (const clientId of changed) {
      if (clientId === awareness.clientID) continue
      const s = states.get(clientId)
      if (!s) {
        if (store.has(presenceId(clientId))) removes.push(presenceId(clientId))
        continue
      }
      if (!s.presence || !isPresenceUser(s.user)) continue
      try {
        const record = InstancePresenceRecordType.create({
          ...s.presence,
          id: presenceId(clientId),
          userName: s.user.name,
          color: s.user.color,
        })
        puts.push(store.schema.validateRecord(store, record, 'initialize', null) as TLInstancePresence)
      } catch {
        // a malformed presence from another tab is ignored; the doc is unaffected
      }
    }
    changed.clear()
    if (puts.length > 0 || removes.length > 0) {
      store.mergeRemoteChanges(() => {
        if (removes.length > 0) store.remove(removes)
        if (puts.length > 0) store.put(puts)
      })
    }
    reportParticipants()
  }
  const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    for (const id of added) changed.add(id)
    for (const id of updated) changed.add(id)
    for (const id of removed) changed.add(id)
    if (!scheduled) {
      scheduled = true
      if (typeof requestAnimationFrame === 'function') requestAnimationFrame(applyPresence)
      else applyPresence()
    }
  }
  awareness.on('change', onChange)
  onChange({ added: [...awareness.getStates().keys()], updated: [], removed: [] })
  const idleTimer = setInterval(reportParticipants, 10_000)

  return () => {
    stopped = true
    stopReact()
    if (timer) clearTimeout(timer)
    clearInterval(idleTimer)
    awareness.off('change', onChange)
    for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, onActivity, { capture: true })
    awareness.setLocalState(null)
  }
}

/**
 * Remembers, in this tab's clock, when each client's `activeAt` last changed, so idleness
 * never compares two machines' clocks.
 */
export class ActivityTracker {
  private seen = new Map<number, { activeAt: number; at: number }>()
  /** Local time of the last observed activity of `clientId`. */
  lastActive(clientId: number, activeAt: number | undefined, now: number): number {
    const prev = this.seen.get(clientId)
    if (!prev || prev.activeAt !== activeAt) {
      this.seen.set(clientId, { activeAt: activeAt ?? 0, at: now })
      return now
    }
    return prev.at
  }
}

function isRole(r: unknown): r is Role {
  return ROLES.includes(r as Role)
}

/** Everyone on the board now (one entry per tab), self first, then by side and name. */
export function listParticipants(awareness: Awareness, activity: ActivityTracker, now = Date.now()): Participant[] {
  const out: Participant[] = []
  for (const [clientId, s] of awareness.getStates() as Map<number, AwarenessState>) {
    if (!isPresenceUser(s.user)) continue
    const isSelf = clientId === awareness.clientID
    const lastActive = isSelf ? (s.activeAt ?? now) : activity.lastActive(clientId, s.activeAt, now)
    out.push({
      clientId,
      userId: s.user.id,
      name: s.user.name,
      side: s.user.side,
      color: s.user.color,
      idle: now - lastActive > IDLE_AFTER_MS,
      isSelf,
      role: isRole(s.user.role) ? s.user.role : 'participant',
    })
  }
  return out.sort(
    (a, b) => Number(b.isSelf) - Number(a.isSelf) || a.side.localeCompare(b.side) || a.name.localeCompare(b.name),
  )
}
