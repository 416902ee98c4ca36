/**
 * Shared by the integration tests of facilitation (votes, session map): people with person
 * secrets, notes written by a stock client, votes opened by the facilitator, waiting for the
 * server to see them.
 */
import { createHash } from 'node:crypto'
import { buildNote } from '../../shared/domain/index.ts'
import type { VoteState } from '../../shared/facilitation/index.ts'
import { DocLayout } from '../../shared/protocol.ts'
import { waitFor, type TestServer } from './fixtures.ts'

export type TestClient = Awaited<ReturnType<TestServer['client']>>

/** A person secret (16+ base64url characters) and the id the server must derive from it, computed here. */
export function testPerson(name: string): { secret: string; id: string } {
  const secret = `secret-of-${name}-0123456789`
  const id = createHash('sha256').update(`arvo-person:${secret}`).digest('base64url').slice(0, 22)
  return { secret, id }
}

let noteIndex = 0
/** Writes the note `shape:<id>` through `c`, attributed to `author` (a provider). */
export function addNote(c: TestClient, id: string, text: string, x = 0, y = 0, author = { authorId: testPerson('fiona').id, authorName: 'Fiona' }): void {
  c.records.set(`shape:${id}`, buildNote({ id, x, y, index: `a${(noteIndex++ % 9) + 1}` as never, text, author: { ...author, side: 'provider' } }))
}

/** The facilitator client `fac` opens a vote (a fresh id; 2 dots unless `over` says otherwise). */
export function openVote(fac: TestClient, over: Partial<VoteState> = {}): VoteState {
  const vote: VoteState = { id: `vote${Math.random().toString(36).slice(2, 10)}`, status: 'open', dots: 2, onePerNote: false, templates: null, endsAt: null, ...over }
  fac.doc.getMap('session').set('vote', vote)
  return vote
}

/** Resolves once the server's doc of board `id` holds vote `voteId` with `status`. */
export async function waitServerVote(server: TestServer, id: string, voteId: string, status: 'open' | 'closed' = 'open'): Promise<void> {
  const session = (await server.server.registry.get(id)).doc.getMap<unknown>(DocLayout.session)
  await waitFor(() => {
    const v = session.get('vote') as VoteState | undefined
    return v?.id === voteId && v.status === status
  }, 5000, `vote ${status} on the server`)
}

/** A cast body: one dot on `shape:<note>`. */
export const dot = (voteId: string, note: string, delta: 1 | -1 = 1) => ({ voteId, noteId: `shape:${note}`, delta })
