import type { Ballot, SidedBallot } from '../../shared/facilitation/index.ts'
import type { Side } from '../../shared/protocol.ts'
import type { AppendEntry, BallotDecision, BoardInfo, BoardLinkState, BoardStorage, LinksChange, StoredBoard } from './types.ts'
import { applyLinksChange, defaultLinks, StorageError } from './types.ts'

interface MemBoard {
  info: BoardInfo
  snapshot: Uint8Array | null
  snapshotSeq: number
  log: { seq: number; update: Uint8Array }[]
  nextSeq: number
}

/** In-memory storage: for tests and benchmarks that must not touch disk. */
export class MemoryStorage implements BoardStorage {
  readonly name = 'memory'
  private boards = new Map<string, MemBoard>()
  private secret: string | null = null
  /** `board\0vote` -> person -> ballot; closed votes keep an entry in `closed`. */
  private votes = new Map<string, Map<string, SidedBallot>>()
  private closed = new Set<string>()

  async castBallot(boardId: string, voteId: string, personId: string, side: Side, decide: (current: Ballot) => BallotDecision): Promise<BallotDecision> {
    const key = `${boardId}\u0000${voteId}`
    if (this.closed.has(key)) return { refuse: 'closed' }
    let vote = this.votes.get(key)
    const current = vote?.get(personId)
    const decision = decide({ ...(current?.dots ?? {}) })
    if ('dots' in decision) {
      if (!vote) this.votes.set(key, (vote = new Map()))
      vote.set(personId, { personId, side, dots: { ...decision.dots } })
    }
    return decision
  }

  async ballots(boardId: string, voteId: string): Promise<SidedBallot[]> {
    return [...(this.votes.get(`${boardId}\u0000${voteId}`)?.values() ?? [])].map((b) => structuredClone(b))
  }

  async closeVote(boardId: string, voteId: string): Promise<SidedBallot[]> {
    const key = `${boardId}\u0000${voteId}`
    this.closed.add(key)
    return [...(this.votes.get(key)?.values() ?? [])].map((b) => structuredClone(b))
  }

  async forgetBallots(boardId: string, voteId: string): Promise<void> {
    this.votes.delete(`${boardId}\u0000${voteId}`)
  }

  async serverSecret(candidate: string): Promise<string> {
    if (!candidate) throw new StorageError('server secret must not be empty')
    this.secret ??= candidate
    return this.secret
  }

  async createBoard(id: string, initialUpdate: Uint8Array, links: BoardLinkState = defaultLinks()): Promise<void> {
    if (this.boards.has(id)) throw new StorageError(`board ${id} already exists`)
    this.boards.set(id, {
      info: { id, createdAt: Date.now(), links: structuredClone(links) },
      snapshot: null,
      snapshotSeq: 0,
      log: [{ seq: 1, update: initialUpdate.slice() }],
      nextSeq: 2,
    })
  }

  async getBoard(id: string): Promise<BoardInfo | null> {
    const info = this.boards.get(id)?.info
    return info ? structuredClone(info) : null
  }

  async updateLinks(id: string, change: LinksChange): Promise<BoardLinkState | null> {
    const b = this.boards.get(id)
    if (!b) return null
    b.info.links = applyLinksChange(b.info.links, change)
    return structuredClone(b.info.links)
  }

  async load(id: string): Promise<StoredBoard | null> {
    const b = this.boards.get(id)
    if (!b) return null
    return {
      snapshot: b.snapshot,
      snapshotSeq: b.snapshotSeq,
      updates: b.log.map((e) => e.update),
      lastSeq: b.nextSeq - 1,
    }
  }

  async append(entries: AppendEntry[]): Promise<number[]> {
    for (const e of entries) {
      if (!this.boards.has(e.boardId)) throw new StorageError(`board ${e.boardId} does not exist`)
    }
    return entries.map((e) => {
      const b = this.boards.get(e.boardId)!
      const seq = b.nextSeq++
      b.log.push({ seq, update: e.update.slice() })
      return seq
    })
  }

  async compact(id: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    const b = this.boards.get(id)
    if (!b) throw new StorageError(`board ${id} does not exist`)
    if (uptoSeq < b.snapshotSeq || uptoSeq >= b.nextSeq) {
      throw new StorageError(`compact of ${id} up to ${uptoSeq} is outside its log`)
    }
    b.snapshot = snapshot.slice()
    b.snapshotSeq = uptoSeq
    b.log = b.log.filter((e) => e.seq > uptoSeq)
  }

  async logLength(id: string): Promise<number> {
    return this.boards.get(id)?.log.length ?? 0
  }

  async close(): Promise<void> {}
}
