/**
 * A big board for the export worker tests (EXP-8..EXP-10): all four templates and `notes` notes
 * spread over their zones from four people of both sides, action-plan owners and dates, a title.
 * Returned as one Yjs update (store it with `storage.createBoard`). Deterministic.
 */
import * as Y from 'yjs'
import { buildNote, extractZones, indexKeysAbove, maxPageIndex, placeTemplates } from '../../../shared/domain/index.ts'
import { DocLayout, type Side } from '../../../shared/protocol.ts'
import { initialBoardUpdate } from '../../board-seed.ts'

const WORDS = ['toimitusvarmuus', 'nopea', 'vasteaika', 'õigeaegne', 'arveldus', 'прозрачная', 'отчётность', 'shared', 'roadmap', 'quarterly', 'klienditugi', 'риски', 'fewer', 'escalations', 'yhteinen', 'sopimus']

const PEOPLE = [
  { authorId: 'p-1', authorName: 'Anna Virtanen', side: 'provider' as Side },
  { authorId: 'p-2', authorName: 'Mart Tamm', side: 'provider' as Side },
  { authorId: 'c-1', authorName: 'Ольга Смирнова', side: 'customer' as Side },
  { authorId: 'c-2', authorName: 'Jussi Mäkelä', side: 'customer' as Side },
]

export function bigBoardUpdate(notes: number, title = `Big board — ${notes} notes`): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, initialBoardUpdate(placeTemplates(['pyramid', 'roleMap', 'staircase', 'actionPlan'], 'en')))
  const records = doc.getMap<unknown>(DocLayout.records)
  const all = [...records.values()]
  const zones = extractZones(all)
  const indices = indexKeysAbove(maxPageIndex(all), notes)
  let seed = 11
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
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
    }
    doc.getMap<unknown>(DocLayout.session).set('title', title)
  })
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}
