import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { defaultLinks, type BallotDecision, type BoardStorage } from './types.ts'
import type { Ballot } from '../../shared/facilitation/index.ts'

/** A cast rule for the tests: +1 on `note` within a budget of `budget` dots. */
function addDot(note: string, budget: number): (b: Ballot) => BallotDecision {
  return (b) => {
    const total = Object.values(b).reduce((a, n) => a + n, 0)
    if (total >= budget) return { refuse: 'budget' }
    return { dots: { ...b, [note]: (b[note] ?? 0) + 1 } }
  }
}

/** Builds an update that sets `records[key] = value` on top of `base` (or an empty doc). */
function updateSetting(doc: Y.Doc, key: string, value: unknown): Uint8Array {
  const before = Y.encodeStateVector(doc)
  doc.getMap('records').set(key, value)
  return Y.encodeStateAsUpdate(doc, before)
}

function replay(stored: { snapshot: Uint8Array | null; updates: Uint8Array[] }): Y.Doc {
  const doc = new Y.Doc()
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
  for (const u of stored.updates) Y.applyUpdate(doc, u)
  return doc
}

/**
 * The storage contract (rules STO-1..STO-6 in server/SPEC.md), run against every
 * BoardStorage implementation. `open` may be called several times with the same
 * `reopenKey` to check that data survives closing and reopening.
 */
export function storageContract(
  name: string,
  open: (reopenKey: string) => Promise<BoardStorage>,
  opts: { durableAcrossReopen: boolean; sharedAcrossInstances?: boolean },
): void {
  describe(`storage contract: ${name}`, () => {
    let key = ''
    let storage: BoardStorage
    beforeEach(async () => {
      key = `k${Math.random().toString(36).slice(2)}`
      storage = await open(key)
    })
    afterEach(async () => {
      await storage.close()
    })

    it('STO-1 a created board loads with its initial update; unknown boards are null', async () => {
      const doc = new Y.Doc()
      const initial = updateSetting(doc, 'page:page', { id: 'page:page' })
      await storage.createBoard('board-1', initial)
      const info = await storage.getBoard('board-1')
      expect(info?.id).toBe('board-1')
      const loaded = await storage.load('board-1')
      expect(loaded).not.toBeNull()
      expect(replay(loaded!).getMap('records').get('page:page')).toEqual({ id: 'page:page' })
      expect(await storage.getBoard('nope-nope')).toBeNull()
      expect(await storage.load('nope-nope')).toBeNull()
    })

    it('STO-2 creating an existing board fails and keeps the original', async () => {
      const doc = new Y.Doc()
      await storage.createBoard('board-2', updateSetting(doc, 'a', 1))
      await expect(storage.createBoard('board-2', updateSetting(new Y.Doc(), 'b', 2))).rejects.toThrow(
        /already exists/,
      )
      const d = replay((await storage.load('board-2'))!)
      expect(d.getMap('records').toJSON()).toEqual({ a: 1 })
    })

    it('STO-3 append is ordered, spans boards in one call, and returns log positions', async () => {
      const a = new Y.Doc()
      const b = new Y.Doc()
      await storage.createBoard('board-a', updateSetting(a, 'x', 0))
      await storage.createBoard('board-b', updateSetting(b, 'y', 0))
      const seqs = await storage.append([
        { boardId: 'board-a', update: updateSetting(a, 'x', 1) },
        { boardId: 'board-b', update: updateSetting(b, 'y', 1) },
        { boardId: 'board-a', update: updateSetting(a, 'x', 2) },
      ])
      expect(seqs).toEqual([2, 2, 3])
      const la = (await storage.load('board-a'))!
      expect(la.lastSeq).toBe(3)
      expect(replay(la).getMap('records').get('x')).toBe(2)
      expect(replay((await storage.load('board-b'))!).getMap('records').get('y')).toBe(1)
    })

    it('STO-4 append to an unknown board fails and writes nothing of that call', async () => {
      const a = new Y.Doc()
      await storage.createBoard('board-c', updateSetting(a, 'x', 0))
      await expect(
        storage.append([
          { boardId: 'board-c', update: updateSetting(a, 'x', 1) },
          { boardId: 'missing-board', update: updateSetting(new Y.Doc(), 'z', 1) },
        ]),
      ).rejects.toThrow(/does not exist/)
      const l = (await storage.load('board-c'))!
      expect(l.lastSeq).toBe(1)
      expect(l.updates.length).toBe(1)
    })

    it('STO-5 compaction keeps the state and later updates; the log shrinks', async () => {
      const doc = new Y.Doc()
      await storage.createBoard('board-d', updateSetting(doc, 'n', 0))
      for (let i = 1; i <= 10; i++) await storage.append([{ boardId: 'board-d', update: updateSetting(doc, 'n', i) }])
      const snapshot = Y.encodeStateAsUpdate(doc)
      await storage.compact('board-d', snapshot, 11)
      await storage.append([{ boardId: 'board-d', update: updateSetting(doc, 'm', 'after') }])
      expect(await storage.logLength('board-d')).toBe(1)
      const l = (await storage.load('board-d'))!
      expect(l.snapshotSeq).toBe(11)
      expect(l.lastSeq).toBe(12)
      expect(replay(l).getMap('records').toJSON()).toEqual({ n: 10, m: 'after' })
      await expect(storage.compact('board-d', snapshot, 99)).rejects.toThrow(/outside its log/)
    })

    it('STO-6 stored bytes are copies: mutating the caller buffer later changes nothing', async () => {
      const doc = new Y.Doc()
      const u = updateSetting(doc, 'k', 'v')
      await storage.createBoard('board-e', u)
      u.fill(0)
      expect(replay((await storage.load('board-e'))!).getMap('records').get('k')).toBe('v')
    })

    it('STO-9 the server secret is the first candidate stored, for good', async () => {
      const first = await storage.serverSecret('secret-one-0123456789')
      expect(first).toBe('secret-one-0123456789')
      expect(await storage.serverSecret('secret-two-0123456789')).toBe('secret-one-0123456789')
      await expect(storage.serverSecret('')).rejects.toThrow(/must not be empty/)
      if (opts.sharedAcrossInstances) {
        const other = await open(key)
        try {
          expect(await other.serverSecret('secret-three-0123456789')).toBe('secret-one-0123456789')
        } finally {
          await other.close()
        }
      }
      if (opts.durableAcrossReopen) {
        await storage.close()
        storage = await open(key)
        expect(await storage.serverSecret('secret-four-0123456789')).toBe('secret-one-0123456789')
      }
    })

    it('STO-10 invite links: default generation 0 without expiry, or as created; rotation bumps generations, expiries set and clear', async () => {
      await storage.createBoard('board-l', updateSetting(new Y.Doc(), 'k', 1))
      expect((await storage.getBoard('board-l'))?.links).toEqual(defaultLinks())
      const created = defaultLinks()
      created.viewer.expiresAt = 1_900_000_000_000
      await storage.createBoard('board-m', updateSetting(new Y.Doc(), 'k', 1), created)
      expect((await storage.getBoard('board-m'))?.links.viewer).toEqual({ gen: 0, expiresAt: 1_900_000_000_000 })
      const after = await storage.updateLinks('board-m', { rotate: ['viewer', 'customer', 'viewer'], expiresAt: { provider: 1_800_000_000_000, viewer: null } })
      const want = {
        facilitator: { gen: 0, expiresAt: null },
        provider: { gen: 0, expiresAt: 1_800_000_000_000 },
        customer: { gen: 1, expiresAt: null },
        viewer: { gen: 1, expiresAt: null },
      }
      expect(after).toEqual(want)
      expect((await storage.getBoard('board-m'))?.links).toEqual(want)
      // the answer is a copy: changing it changes nothing stored
      after!.facilitator.gen = 99
      expect((await storage.getBoard('board-m'))?.links.facilitator.gen).toBe(0)
      await storage.updateLinks('board-m', { rotate: ['viewer'] })
      expect((await storage.getBoard('board-m'))?.links.viewer.gen).toBe(2)
      // other boards are untouched; unknown boards answer null
      expect((await storage.getBoard('board-l'))?.links).toEqual(defaultLinks())
      expect(await storage.updateLinks('nope-nope', { rotate: ['viewer'] })).toBeNull()
      if (opts.durableAcrossReopen) {
        await storage.close()
        storage = await open(key)
        expect((await storage.getBoard('board-m'))?.links.viewer.gen).toBe(2)
      }
    })

    if (opts.sharedAcrossInstances) {
      it('STO-10 two instances rotating one link at once: every rotation counts', async () => {
        const other = await open(key)
        try {
          await storage.createBoard('board-r', updateSetting(new Y.Doc(), 'k', 1))
          await Promise.all(
            Array.from({ length: 10 }, (_, i) => (i % 2 ? storage : other).updateLinks('board-r', { rotate: ['provider'] })),
          )
          expect((await other.getBoard('board-r'))?.links.provider.gen).toBe(10)
        } finally {
          await other.close()
        }
      })

      it('STO-8 two instances (processes) appending to one board keep one gap-free ordered log', async () => {
        const other = await open(key)
        try {
          const doc = new Y.Doc()
          await storage.createBoard('board-g', updateSetting(doc, 'k', 0))
          const docA = new Y.Doc()
          const docB = new Y.Doc()
          const writes: Promise<number[]>[] = []
          for (let i = 0; i < 20; i++) {
            writes.push(storage.append([{ boardId: 'board-g', update: updateSetting(docA, `a${i}`, i) }]))
            writes.push(other.append([{ boardId: 'board-g', update: updateSetting(docB, `b${i}`, i) }]))
          }
          const seqs = (await Promise.all(writes)).flat().sort((x, y) => x - y)
          expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 2))
          const merged = replay((await other.load('board-g'))!).getMap('records')
          expect(merged.size).toBe(41)
        } finally {
          await other.close()
        }
      })
    }

    it('STO-11 ballots: a cast sees the stored ballot, refusals store nothing, votes and boards are apart', async () => {
      expect(await storage.castBallot('b', 'v1', 'p1', 'provider', addDot('n1', 2))).toEqual({ dots: { n1: 1 } })
      expect(await storage.castBallot('b', 'v1', 'p1', 'provider', addDot('n2', 2))).toEqual({ dots: { n1: 1, n2: 1 } })
      expect(await storage.castBallot('b', 'v1', 'p1', 'provider', addDot('n3', 2))).toEqual({ refuse: 'budget' })
      await storage.castBallot('b', 'v1', 'p2', 'customer', addDot('n1', 2))
      await storage.castBallot('b', 'v2', 'p1', 'provider', addDot('n9', 2))
      await storage.castBallot('other', 'v1', 'p1', 'provider', addDot('n8', 2))
      const ballots = (await storage.ballots('b', 'v1')).sort((x, y) => x.personId.localeCompare(y.personId))
      expect(ballots).toEqual([
        { personId: 'p1', side: 'provider', dots: { n1: 1, n2: 1 } },
        { personId: 'p2', side: 'customer', dots: { n1: 1 } },
      ])
      // a removal down to nothing keeps an empty ballot (the voter is still counted by the caller's rule)
      expect(await storage.castBallot('b', 'v2', 'p1', 'provider', () => ({ dots: {} }))).toEqual({ dots: {} })
      expect(await storage.ballots('b', 'v2')).toEqual([{ personId: 'p1', side: 'provider', dots: {} }])
    })

    it('STO-12 closing a vote refuses later casts and answers the same ballots until they are forgotten', async () => {
      await storage.castBallot('b', 'v', 'p1', 'provider', addDot('n1', 3))
      await storage.castBallot('b', 'v', 'p2', 'customer', addDot('n2', 3))
      const taken = await storage.closeVote('b', 'v')
      expect(taken.map((x) => x.personId).sort()).toEqual(['p1', 'p2'])
      // a second close (another process, or after a crash before the result was stored) gets the same
      expect((await storage.closeVote('b', 'v')).map((x) => x.personId).sort()).toEqual(['p1', 'p2'])
      await storage.forgetBallots('b', 'v')
      expect(await storage.ballots('b', 'v')).toEqual([])
      expect(await storage.closeVote('b', 'v')).toEqual([])
      let called = false
      const late = await storage.castBallot('b', 'v', 'p1', 'provider', (b) => ((called = true), { dots: b }))
      expect(late).toEqual({ refuse: 'closed' })
      expect(called).toBe(false)
      // a vote nobody voted in closes too
      expect(await storage.closeVote('b', 'empty')).toEqual([])
    })

    it('STO-13 concurrent casts of one person are serialised: the budget holds', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => storage.castBallot('b', 'v', 'p', 'provider', addDot(`n${i}`, 3))))
      expect(results.filter((r) => 'dots' in r)).toHaveLength(3)
      const [ballot] = await storage.ballots('b', 'v')
      expect(Object.values(ballot.dots).reduce((a, n) => a + n, 0)).toBe(3)
    })

    if (opts.sharedAcrossInstances) {
      it('STO-14 two instances: casts and two closes race, both closes see every accepted cast', async () => {
        const other = await open(key)
        try {
          const casts = Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? other : storage).castBallot('b', 'v', `p${i % 5}`, 'customer', addDot(`n${i}`, 4)),
          )
          const closes = [storage.closeVote('b', 'v'), other.closeVote('b', 'v')]
          const [castResults, closeResults] = await Promise.all([Promise.all(casts), Promise.all(closes)])
          const accepted = castResults.filter((r) => 'dots' in r).length
          const [a, b] = await Promise.all([storage.closeVote('b', 'v'), other.closeVote('b', 'v')])
          for (const tally of [...closeResults, a, b]) {
            expect(tally.reduce((n, x) => n + Object.values(x.dots).reduce((s, d) => s + d, 0), 0)).toBeLessThanOrEqual(accepted)
          }
          for (const tally of [a, b]) expect(tally.reduce((n, x) => n + Object.values(x.dots).reduce((s, d) => s + d, 0), 0)).toBe(accepted)
        } finally {
          await other.close()
        }
      })
    }

    if (opts.durableAcrossReopen) {
      it('STO-15 ballots and closed votes survive a reopen', async () => {
        await storage.castBallot('b', 'v', 'p1', 'provider', addDot('n1', 3))
        await storage.closeVote('b', 'closed')
        await storage.close()
        storage = await open(key)
        expect(await storage.ballots('b', 'v')).toEqual([{ personId: 'p1', side: 'provider', dots: { n1: 1 } }])
        expect(await storage.castBallot('b', 'closed', 'p1', 'provider', addDot('n1', 3))).toEqual({ refuse: 'closed' })
      })

      it('STO-7 data survives closing and reopening the storage', async () => {
        const doc = new Y.Doc()
        await storage.createBoard('board-f', updateSetting(doc, 'k', 1))
        await storage.append([{ boardId: 'board-f', update: updateSetting(doc, 'k', 2) }])
        await storage.close()
        storage = await open(key)
        expect(replay((await storage.load('board-f'))!).getMap('records').get('k')).toBe(2)
      })
    }
  })
}
