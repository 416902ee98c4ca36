import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useEffect, useMemo, useState } from 'react'
import {
  atom,
  createTLStore,
  createUserId,
  DefaultColorStyle,
  defaultShapeUtils,
  react,
  Tldraw,
  UserRecordType,
  type Atom,
  type Editor,
  type TLAnyShapeUtilConstructor,
  type TLComponents,
  type TLStore,
} from 'tldraw'
import { t, type Language, sideName } from '../../shared/i18n/index.ts'
import {
  DocLayout,
  readSessionFlags,
  type ClientConfig,
  type LinkRole,
  type LinksResponse,
  type PresenceUser,
  type SessionKey,
} from '../../shared/protocol.ts'
import type { FinalClose } from '../access/resolve.ts'
import { mayWriteBoard, type BoardAccess } from '../access/links.ts'
import { readSession, type SessionPatch } from '../../shared/facilitation/index.ts'
import { measureServerClock } from '../facilitation/serverClock.ts'
import { EMPTY_SESSION, workshopStore } from '../facilitation/store.ts'
import { FacilitationCanvas } from '../facilitation/index.tsx'
import { WorkshopCanvas } from '../workshop/index.tsx'
import { bindPrivateNotes, type PrivateNotesBinding } from '../workshop/binding.ts'
import { sessionStore } from '../state/session.ts'
import { bindStoreToDoc } from '../sync/bridge.ts'
import { cursorColor, SIDE_NOTE_COLOR } from '../sync/colors.ts'
import { connectBoard, syncUrl, type BoardConnection } from '../sync/connection.ts'
import { bindPresence } from '../sync/presence.ts'
import { computeInsights, type InsightsModel } from '../insights/model.ts'
import { createBoardSnapshotSource, type BoardSnapshotSource } from '../insights/source.ts'
import { ActionBadges } from './ActionBadges.tsx'
import { ArvoMainMenu } from '../export/ExportMenu.tsx'
import { exportOverrides } from './exportActions.ts'
import { arvoNoteShapeUtil } from './noteShape.tsx'
import { RatingOverlay } from './RatingOverlay.tsx'
import type { RatingHover } from './ratingStars.ts'
import { installBoardBehaviour, openInitialView, templatesOnBoard, zoomToFit } from './behaviour.ts'
import { BoardContext, type BoardContextValue, type BoardIdentity } from './context.ts'
import { localizedShapeUtils, tldrawLocale } from './localizedShapes.ts'
import { BoardPageName, LeftColumn, TopCenter } from './Overlays.tsx'
import { ParticipantsSlot } from './ParticipantsSlot.tsx'
import { bindTheme } from './theme.ts'
import { cameraMemory, type InitialView } from './view.ts'

const assetUrls = getAssetUrlsByImport()

const components: TLComponents = {
  SharePanel: ParticipantsSlot,
  TopPanel: TopCenter,
  HelperButtons: LeftColumn,
  OnTheCanvas: CanvasOverlays,
  PageMenu: BoardPageName,
  MainMenu: ArvoMainMenu,
}

/** Drawn in page space over the shapes: action fields beside notes, rating preview and keyboard access. */
function CanvasOverlays() {
  return (
    <>
      <ActionBadges />
      <RatingOverlay />
      <FacilitationCanvas />
      <WorkshopCanvas />
    </>
  )
}

/** The typed test/debug handle e2e tests use (`window.__arvo`). */
export interface ArvoTestApi {
  editor: Editor
  connection: BoardConnection
  identity: BoardIdentity
  /** What this browser is on the board (role, side, link, person id) and its token. */
  access: BoardAccess
  /** The insights as the panel shows them now (UI language), from the latest snapshot. */
  insights(): InsightsModel
  /** Zooms so that one template instance (or, without an id, the whole board) fills the free canvas. */
  zoomTo(instance?: string): void
  /** What the board opened on (FIT-2). */
  initialView: InitialView
}
declare global {
  interface Window {
    __arvo?: ArvoTestApi
  }
}

interface Live {
  store: TLStore
  /** This person's language (session store), as a signal the shape utils read. */
  language: Atom<Language>
  /** tldraw's geo and text utils, drawing template texts in `language` (I18N-C1), and Arvo's note util (NOTE-1, ACT-2). */
  shapeUtils: readonly TLAnyShapeUtilConstructor[]
  /** The rating a click would set now, for the preview (RATE-C1). */
  ratingHover: Atom<RatingHover | null>
  connection: BoardConnection
  snapshots: BoardSnapshotSource
  dispose(): void
}

/** Yjs origin of the facilitator's writes to the `session` map. */
export const SESSION_ORIGIN = Symbol('arvo:session')

/**
 * Opens the board's Y.Doc with this browser's token, waits for the server's state, then binds a
 * tldraw store to it (bridge) and presence to awareness. Everything made here is destroyed in
 * the same effect. A viewer, and a participant while the board is locked, get a read-only
 * editor and a bridge that writes nothing (ROLE-C2).
 */
export function BoardCanvas({
  boardId,
  identity,
  config,
  access,
  onFinalClose,
  onConnectFailed,
  rotateLinks,
}: {
  boardId: string
  identity: BoardIdentity
  config: ClientConfig
  access: BoardAccess
  /** The server ended the connection for good (CON-2). */
  onFinalClose(close: FinalClose): void
  /** A connection attempt failed before it opened (the page asks the access route why). */
  onConnectFailed(): void
  /** Resets links (facilitator; the page keeps a new facilitator token of its own). */
  rotateLinks(roles: LinkRole[]): Promise<LinksResponse>
}) {
  const role = access.role
  const [live, setLive] = useState<Live | null>(null)
  // One overrides object per board: tldraw rebuilds its UI's actions when it changes.
  const overrides = useMemo(
    () =>
      exportOverrides(boardId, () => sessionStore.getState().language, (e) => {
        console.error('[arvo] export failed', e)
        sessionStore.getState().showNotice(t(sessionStore.getState().language, 'exportFailed'))
      }),
    [boardId],
  )

  useEffect(() => {
    const session = sessionStore.getState()
    session.setConnection('connecting')
    session.setSessionFlags({ boardLocked: false, templatesUnlocked: false })
    const connection = connectBoard(syncUrl(window.location), boardId, { token: access.token, person: access.person }, {
      onStatus: (s) => sessionStore.getState().setConnection(s),
      onUnsyncedEdits: (n) => sessionStore.getState().setUnsyncedEdits(n),
      onFinalClose,
      onConnectFailed,
    })
    // The facilitator's flags (board lock, templates) mirrored into the session store.
    const sessionMap = connection.doc.getMap<unknown>(DocLayout.session)
    const readFlags = () => {
      sessionStore.getState().setSessionFlags(readSessionFlags((k) => sessionMap.get(k)))
      workshopStore.getState().setSession(readSession((k) => sessionMap.get(k)))
      privateNotes?.evaluate()
    }
    // Silent ideas: this person's private notes stay out of the doc (BRG-8, PRIV-1..3).
    let privateNotes: PrivateNotesBinding | null = null
    workshopStore.getState().setSession(EMPTY_SESSION)
    sessionMap.observe(readFlags)
    // The server's clock (timer, vote deadline): measured now and again after every reconnect.
    const measureClock = () =>
      void measureServerClock().then((est) => {
        if (est && !disposed) workshopStore.getState().setClock(est.offset, est.rtt)
      })
    measureClock()
    const unsubscribeClock = sessionStore.subscribe((s, prev) => {
      if (s.connection === 'online' && prev.connection !== 'online') measureClock()
    })
    let disposed = false
    let unbind: (() => void) | null = null
    void connection.firstSync.then(() => {
      if (disposed) return
      // Known before the bridge binds: a locked participant must not even write the schema.
      readFlags()
      const color = cursorColor(identity.side, identity.id)
      const $user = atom('arvo user', UserRecordType.create({ id: createUserId(identity.id), name: identity.name, color }))
      const language = atom<Language>('arvo language', sessionStore.getState().language)
      const unsubscribeLanguage = sessionStore.subscribe((s) => language.set(s.language))
      const shapeUtils = [...localizedShapeUtils(language), arvoNoteShapeUtil(language)]
      const ratingHover = atom<RatingHover | null>('arvo rating hover', null)
      const replaced = new Map<string, TLAnyShapeUtilConstructor>(shapeUtils.map((u) => [u.type, u]))
      const store = createTLStore({
        shapeUtils: defaultShapeUtils.map((u) => replaced.get(u.type) ?? u),
        users: { currentUser: $user },
        collaboration: { status: atom('status', 'online') },
      })
      const notes = bindPrivateNotes({ store, connection, boardId, personId: access.personId, mayWrite: () => mayWriteBoard(role, sessionStore.getState().sessionFlags) })
      const bridge = bindStoreToDoc(store, connection.doc, {
        local: notes.local,
        mayWrite: () => mayWriteBoard(role, sessionStore.getState().sessionFlags),
        onInvalidRecord: (id, reason) => {
          console.warn(`[arvo] skipped invalid record ${id}: ${reason}`)
          sessionStore.getState().addInvalidRecord()
        },
      })
      // The server sets id, role (and a participant's side) from the token whatever we write here.
      const user: PresenceUser = { id: identity.id, name: identity.name, side: identity.side, color, role }
      const unbindPresence = bindPresence(store, connection.awareness, user, $user, (p) =>
        sessionStore.getState().setParticipants(p),
        (id) => notes.local.has(id),
      )
      notes.attach(bridge)
      privateNotes = notes
      // Insights read the store and the server's edit counts, throttled (see insights/source.ts).
      const snapshots = createBoardSnapshotSource(store, connection.doc.getMap(DocLayout.meta))
      unbind = () => {
        privateNotes = null
        notes.dispose()
        unsubscribeLanguage()
        snapshots.dispose()
        unbindPresence()
        bridge.dispose()
      }
      setLive({ store, language, shapeUtils, ratingHover, connection, snapshots, dispose: unbind })
    })
    return () => {
      disposed = true
      sessionMap.unobserve(readFlags)
      unsubscribeClock()
      unbind?.()
      connection.destroy()
      setLive(null)
      delete window.__arvo
    }
    // The callbacks are the page's (stable for one mount); a new token or identity remounts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [boardId, identity, access])

  if (!live) return <div className="arvo-page arvo-loading" data-testid="board-loading" />

  const onMount = (editor: Editor) => {
    // New notes take the side's colour family; author and side go into meta (behaviour.ts).
    editor.setStyleForNextShapes(DefaultColorStyle, SIDE_NOTE_COLOR[identity.side])
    // tldraw's own menus speak this person's language where tldraw has it (I18N-C1).
    const applyLocale = (lang: Language) => editor.user.updateUserPreferences({ locale: tldrawLocale(lang) })
    applyLocale(sessionStore.getState().language)
    const unsubscribeLocale = sessionStore.subscribe((s, prev) => {
      if (s.language !== prev.language) applyLocale(s.language)
    })
    // Read-only while this person may not write (viewer; participant while the board is locked).
    const applyReadonly = () => {
      const isReadonly = !mayWriteBoard(role, sessionStore.getState().sessionFlags)
      if (editor.getInstanceState().isReadonly !== isReadonly) {
        if (isReadonly) editor.setEditingShape(null)
        editor.updateInstanceState({ isReadonly })
      }
    }
    applyReadonly()
    const unsubscribeReadonly = sessionStore.subscribe((s, prev) => {
      if (s.sessionFlags !== prev.sessionFlags) applyReadonly()
    })
    const uninstall = installBoardBehaviour(editor, {
      author: { authorId: identity.id, authorName: identity.name, side: identity.side },
      access: () => ({
        role,
        side: access.side,
        personId: access.personId,
        name: identity.name,
        chosenSide: identity.side,
        flags: sessionStore.getState().sessionFlags,
      }),
      mayWrite: () => mayWriteBoard(role, sessionStore.getState().sessionFlags),
      ratingHover: live.ratingHover,
      onRatingRefused: () => {
        const lang = sessionStore.getState().language
        const side = sideName(lang, identity.side)
        sessionStore.getState().showNotice(t(lang, 'ratingOwnSideOnly', { side }))
      },
    })
    let mounted = true
    // The camera is remembered per board in this browser (FIT-2), debounced.
    const memory = cameraMemory(localStorage, boardId)
    let stopRemembering = () => {}
    const flush = () => memory.flush()
    window.addEventListener('pagehide', flush)
    const unbindTheme = bindTheme(editor)
    // Once tldraw's UI and our panels are laid out: open on a readable view (where this browser
    // was last, else the first template), clear of the panels. Then the test API appears.
    requestAnimationFrame(() => {
      if (!mounted) return
      const initialView = openInitialView(editor, memory.read())
      stopRemembering = react('arvo camera memory', () => memory.save(editor.getCamera()))
      window.__arvo = {
        editor,
        connection: live.connection,
        identity,
        access,
        initialView,
        insights: () => {
          const { shapes, edits } = live.snapshots.getSnapshot()
          return computeInsights(shapes, edits, sessionStore.getState().language)
        },
        zoomTo(instance) {
          const shapes = editor.getCurrentPageShapes()
          const bounds = instance ? templatesOnBoard(shapes).find((x) => x.instance === instance)?.bounds : null
          zoomToFit(editor, { bounds })
        },
      }
    })
    return () => {
      mounted = false
      stopRemembering()
      memory.flush()
      window.removeEventListener('pagehide', flush)
      unbindTheme()
      unsubscribeReadonly()
      unsubscribeLocale()
      uninstall()
    }
  }
  const setSessionFlag = (key: SessionKey, value: boolean) => {
    if (role !== 'facilitator') return
    const map = live.connection.doc.getMap<unknown>(DocLayout.session)
    live.connection.doc.transact(() => map.set(key, value), SESSION_ORIGIN)
  }
  const patchSession = (patch: SessionPatch) => {
    if (role !== 'facilitator') return
    const map = live.connection.doc.getMap<unknown>(DocLayout.session)
    live.connection.doc.transact(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value === null || value === undefined) map.delete(key)
        else map.set(key, value)
      }
    }, SESSION_ORIGIN)
  }
  const context: BoardContextValue = {
    boardId,
    identity,
    snapshots: live.snapshots,
    access,
    setSessionFlag,
    patchSession,
    connection: live.connection,
    rotateLinks,
    ratingHover: live.ratingHover,
  }

  return (
    <div className="arvo-board" data-testid="board">
      <BoardContext.Provider value={context}>
        <Tldraw
          store={live.store}
          licenseKey={config.tldrawLicenseKey ?? undefined}
          assetUrls={assetUrls}
          components={components}
          shapeUtils={live.shapeUtils}
          overrides={overrides}
          onMount={onMount}
        />
      </BoardContext.Provider>
    </div>
  )
}
