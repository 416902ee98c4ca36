/**
 * A seeded board for the export tests (issue 12): all four templates, notes in every language
 * in most zones from both sides, staircase ratings of both sides, action-plan owners and due
 * dates, a closed vote's result, a board title, and one note outside every template.
 * `seededBoardUpdate()` is the board as one Yjs update (store it with `storage.createBoard`).
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
import { DocLayout, type Side } from '../../../shared/protocol.ts'
import { initialBoardUpdate } from '../../board-seed.ts'

export const PEOPLE = {
  anna: { authorId: 'p-anna', authorName: 'Anna Virtanen', side: 'provider' as Side },
  mart: { authorId: 'p-mart', authorName: 'Mart Tamm', side: 'provider' as Side },
  olga: { authorId: 'c-olga', authorName: 'Ольга Смирнова', side: 'customer' as Side },
  jussi: { authorId: 'c-jussi', authorName: 'Jussi Mäkelä', side: 'customer' as Side },
}

/** Note texts in all four languages (Finnish, Estonian õ ä ö ü š ž, Russian, English). */
const TEXTS = [
  'Toimitusvarmuus ja nopea vasteaika',
  'Õigeaegne arveldus, šokolaadi žürii',
  'Прозрачная отчётность каждый месяц',
  'Shared roadmap reviewed quarterly',
  'Yhteinen palvelutasosopimus',
  'Klienditugi eesti keeles',
  'Снижение рисков при переходе',
  'Fewer escalations, calmer mornings',
]

export const BOARD_TITLE = 'Arvotyöpaja — Kesko × Telia, syksy 2026'
export const OUTSIDE_TEXT = 'Parking lot: licence questions'

export interface SeededBoard {
  update: Uint8Array
  /** Every note's text as written. */
  noteTexts: string[]
  /** Note ids that got dots in the closed vote. */
  votedNoteIds: string[]
}

/** Builds the seeded board (deterministic). */
export function seededBoard(): SeededBoard {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, initialBoardUpdate(placeTemplates(['pyramid', 'roleMap', 'staircase', 'actionPlan'], 'en')))
  const records = doc.getMap<unknown>(DocLayout.records)
  const all = [...records.values()]
  const zones = extractZones(all)
  const people = Object.values(PEOPLE)
  const indices = indexKeysAbove(maxPageIndex(all), 200)
  const noteTexts: string[] = []
  const noteIds: string[] = []
  let n = 0
  const addNote = (x: number, y: number, text: string, author: (typeof people)[number], action?: { owner?: string; ownerSide?: Side; due?: string }) => {
    const id = `shape:seed-${String(n).padStart(3, '0')}`
    const note = buildNote({ id, x: x - 100, y: y - 100, index: indices[n]!, text, author, action })
    n++
    records.set(note.id, note)
    noteTexts.push(text)
    noteIds.push(note.id)
    return note.id
  }
  doc.transact(() => {
    zones.forEach((z, i) => {
      if (i % 5 === 4) return // some zones stay empty: coverage gaps
      const cx = z.bounds.x + z.bounds.w / 2
      const cy = z.bounds.y + z.bounds.h / 2
      const action = z.template === 'actionPlan' ? { owner: i % 2 ? 'Jussi Mäkelä' : 'Anna Virtanen', ownerSide: (i % 2 ? 'customer' : 'provider') as Side, due: `2027-0${1 + (i % 9)}-15` } : undefined
      addNote(cx, cy, TEXTS[i % TEXTS.length]!, people[i % people.length]!, action)
    })
    const right = Math.max(...zones.map((z) => z.bounds.x + z.bounds.w))
    addNote(right + 400, 300, OUTSIDE_TEXT, PEOPLE.mart)
    // Staircase ratings of both sides: the customer rates lower on the upper steps (a gap).
    const steps = ['information', 'understanding', 'relevance', 'differentiation', 'delivery']
    steps.forEach((step, i) => {
      for (const [side, value] of [['provider', Math.min(5, 2 + i)], ['customer', Math.max(1, 4 - i)]] as const) {
        const shape = findRatingShape([...records.values()], 'staircase-1', step, side)
        if (shape) records.set(shape.id, setRating(shape, value as RatingValue))
      }
    })
    const session = doc.getMap<unknown>(DocLayout.session)
    session.set('title', BOARD_TITLE)
    const vote: VoteState = { id: 'vote-1', status: 'closed', dots: 3, onePerNote: false, templates: null, endsAt: null }
    const ballots: SidedBallot[] = [
      { personId: PEOPLE.anna.authorId, side: 'provider', dots: { [noteIds[0]!]: 2, [noteIds[1]!]: 1 } },
      { personId: PEOPLE.mart.authorId, side: 'provider', dots: { [noteIds[0]!]: 1, [noteIds[2]!]: 2 } },
      { personId: PEOPLE.olga.authorId, side: 'customer', dots: { [noteIds[3]!]: 3 } },
      { personId: PEOPLE.jussi.authorId, side: 'customer', dots: { [noteIds[0]!]: 1, [noteIds[3]!]: 1, [noteIds[4]!]: 1 } },
    ]
    session.set('vote', vote)
    session.set('voteResult', tallyVotes(vote, ballots, Date.UTC(2026, 10, 20, 12, 0)))
  })
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return { update, noteTexts, votedNoteIds: noteIds.slice(0, 5) }
}
