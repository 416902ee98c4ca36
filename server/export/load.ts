/**
 * The export input of one board, for the routes and the CLI (rule EXP-6): always read from
 * storage, so both see the same board. When the board's room is loaded in this process, its
 * pending edits are waited for first (at most EXPORT_PERSIST_WAIT_MS), so the latest edits
 * count — the same wait summary.json makes (SUM-SRV-4). The routes wait here (`awaitRoomPersisted`)
 * and let the export worker read storage itself (EXP-8).
 */
import type { Language } from '../../shared/i18n/index.ts'
import type { BoardStorage } from '../storage/types.ts'
import { exportInputFromStored, type ExportInput } from './input.ts'

/** How long an export waits for a loaded board's pending edits to reach storage. */
export const EXPORT_PERSIST_WAIT_MS = 10_000

/** The board's latest edits did not reach storage in time (storage failing): 503, try again. */
export class ExportUnavailable extends Error {}

/** A loaded room as exports see it. */
export interface LoadedRoom {
  whenPersisted(): Promise<void>
  /** Names the doc's state (`Room.versionKey`): requests of one version may share one build. */
  readonly versionKey?: string
}

/** What `loadExportInput` needs: storage, and (in the server) the loaded rooms. */
export interface ExportSource {
  storage: Pick<BoardStorage, 'load'>
  /** The server's loaded rooms (absent in the CLI: nothing is loaded there). */
  rooms?: { loaded(id: string): Promise<LoadedRoom | null> }
  persistWaitMs?: number
}

/** Waits until what `room` has taken in is on disk (ExportUnavailable after `ms`). */
export function awaitRoomPersisted(room: LoadedRoom, ms = EXPORT_PERSIST_WAIT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ExportUnavailable(`the board's latest changes are not saved yet (storage busy or failing); try again`)), ms)
  })
  return Promise.race([room.whenPersisted(), timeout]).finally(() => clearTimeout(timer))
}

/** The export input of `boardId` in `language`, or null when there is no such board. */
export async function loadExportInput(
  source: ExportSource,
  boardId: string,
  opts: { language: Language; generatedAt: string },
): Promise<ExportInput | null> {
  const room = await source.rooms?.loaded(boardId)
  if (room) await awaitRoomPersisted(room, source.persistWaitMs ?? EXPORT_PERSIST_WAIT_MS)
  const stored = await source.storage.load(boardId)
  if (!stored) return null
  return exportInputFromStored(stored, { boardId, ...opts })
}
