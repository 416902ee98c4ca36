/**
 * A big board for the export tests and the PDF bench: all four templates and `notes` notes
 * spread over their zones from four people of both sides, action-plan owners and dates, both
 * sides' staircase ratings, a closed vote and a title. Deterministic.
 */
import * as Y from 'yjs'
import {
  buildNote,
  extractZones,
  findRatingShape,
  indexKeysAbove,
  maxPageIndex,
  placeTemplates,
  setRating,
  type RatingValue,
} from '../../../shared/domain/index.ts'
import { tallyVotes, type SidedBallot, type VoteState } from '../../../shared/facilitation/index.ts'
import type { Language } from '../../../shared/i18n/index.ts'
import { DocLayout, type Side } from '../../../shared/protocol.ts'
import { initialBoardUpdate } from '../../board-seed.ts'

const WORDS = [
  'toimitusvarmuus', 'nopea', 'vasteaika', 'õigeaegne', 'arveldus', 'šokolaad', 'прозрачная', 'отчётность',
  'shared', 'roadmap', 'quarterly', 'palvelutaso', 'klienditugi', 'риски', 'переход', 'fewer', 'escalations',
  'calmer', 'mornings', 'yhteinen', 'sopimus', 'kasvu', 'turvallisuus', 'integraatio', 'koulutus', 'поддержка',
]

const PEOPLE = [
  { authorId: 'p-1', authorName: 'Anna Virtanen', side: 'provider' as Side },
  { authorId: 'p-2', authorName: 'Mart Tamm', side: 'provider' as Side },
  { authorId: 'c-1', authorName: 'Ольга Смирнова', side: 'customer' as Side },
  { authorId: 'c-2', authorName: 'Jussi Mäkelä', side: 'customer' as Side },
]

/** The big board as a Y.Doc (the caller destroys it). */
export function bigBoardDoc(notes: number, opts: { language?: Language; title?: string } = {}): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, initialBoardUpdate(placeTemplates(['pyramid', 'roleMap', 'staircase', 'actionPlan'], opts.language ?? 'en')))
  const records = doc.getMap<unknown>(DocLayout.records)
  const all = [...records.values()]
  const zones = extractZones(all)
  const indices = indexKeysAbove(maxPageIndex(all), notes)
  let seed = 7
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const ids: string[] = []
  doc.transact(() => {
    const perZone = new Map<number, number>()
    for (let i = 0; i < notes; i++) {
      const zi = i % zones.length
      const z = zones[zi]!
      const k = perZone.get(zi) ?? 0
      perZone.set(zi, k + 1)
      const cols = Math.max(1, Math.floor((z.bounds.w - 40) / 110))
      const x = z.bounds.x + 20 + (k % cols) * 110
      const y = z.bounds.y + z.bounds.h / 2 - 100 + Math.floor(k / cols) * 30
      const text = Array.from({ length: 2 + Math.floor(rnd() * 6) }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(' ')
      const author = PEOPLE[i % PEOPLE.length]!
      const action = z.template === 'actionPlan' ? { owner: author.authorName, ownerSide: author.side, due: `2027-0${1 + (i % 9)}-1${i % 10}` } : undefined
      const note = buildNote({ id: `shape:big-${i}`, x, y, index: indices[i]!, text, author, action })
      records.set(note.id, note)
      ids.push(note.id)
    }
    const steps = ['information', 'understanding', 'relevance', 'differentiation', 'delivery']
    steps.forEach((step, i) => {
      for (const [side, value] of [['provider', 1 + ((i + 2) % 5)], ['customer', 1 + (i % 5)]] as const) {
        const shape = findRatingShape([...records.values()], 'staircase-1', step, side)
        if (shape) records.set(shape.id, setRating(shape, value as RatingValue))
      }
    })
    const session = doc.getMap<unknown>(DocLayout.session)
    session.set('title', opts.title ?? `Big board — ${notes} notes`)
    if (ids.length > 0) {
      const vote: VoteState = { id: 'vote-b', status: 'closed', dots: 5, onePerNote: false, templates: null, endsAt: null }
      const ballots: SidedBallot[] = PEOPLE.map((p, j) => ({
        personId: p.authorId,
        side: p.side,
        dots: Object.fromEntries(Array.from({ length: 5 }, (_, d) => [ids[(j * 37 + d * 11) % ids.length]!, 1])),
      }))
      session.set('vote', vote)
      session.set('voteResult', tallyVotes(vote, ballots, Date.UTC(2026, 10, 20)))
    }
  })
  return doc
}

/** The big board as one Yjs update (store it with `storage.createBoard`). */
export function bigBoardUpdate(notes: number, title = `Big board — ${notes} notes`): Uint8Array {
  const doc = bigBoardDoc(notes, { title })
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}
