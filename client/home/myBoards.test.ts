import { describe, expect, it } from 'vitest'
import {
  changesShape,
  linksText,
  MY_BOARDS_KEY,
  MY_BOARDS_MAX,
  readMyBoards,
  recordBoard,
  relativeTime,
  removeMyBoard,
} from './myBoards.ts'

/** A Map-backed Storage; `failWrites` makes setItem throw like a full or blocked storage. */
function memoryStorage(initial: Record<string, string> = {}, opts: { failWrites?: boolean; failReads?: boolean } = {}) {
  const data = new Map(Object.entries(initial))
  return {
    data,
    getItem(k: string) {
      if (opts.failReads) throw new Error('SecurityError')
      return data.get(k) ?? null
    },
    setItem(k: string, v: string) {
      if (opts.failWrites) throw new Error('QuotaExceededError')
      data.set(k, v)
    },
  }
}

const A = 'boardAAAAAA'
const B = 'boardBBBBBB'
const C = 'boardCCCCCC'

describe('HOME-1 my boards list', () => {
  it('records a new board with the given time, and lists newest activity first', () => {
    const s = memoryStorage()
    recordBoard(s, { id: A, templates: ['pyramid'] }, 1000)
    recordBoard(s, { id: B, title: 'Kickoff' }, 2000)
    expect(readMyBoards(s)).toEqual([
      { id: B, title: 'Kickoff', templates: [], lastActivity: 2000 },
      { id: A, title: null, templates: ['pyramid'], lastActivity: 1000 },
    ])
    recordBoard(s, { id: A, lastActivity: 3000 }, 3000)
    expect(readMyBoards(s).map((b) => b.id)).toEqual([A, B])
  })

  it('updates only the given fields; a null title clears it; activity never goes back', () => {
    const s = memoryStorage()
    recordBoard(s, { id: A, title: ' Value workshop ', templates: ['staircase', 'pyramid', 'pyramid'] }, 5000)
    expect(readMyBoards(s)[0]).toEqual({ id: A, title: 'Value workshop', templates: ['pyramid', 'staircase'], lastActivity: 5000 })
    recordBoard(s, { id: A, lastActivity: 4000 }, 6000)
    expect(readMyBoards(s)[0]!.lastActivity).toBe(5000)
    recordBoard(s, { id: A, templates: ['roleMap'] }, 7000)
    expect(readMyBoards(s)[0]).toEqual({ id: A, title: 'Value workshop', templates: ['roleMap'], lastActivity: 5000 })
    recordBoard(s, { id: A, title: null }, 8000)
    expect(readMyBoards(s)[0]!.title).toBeNull()
  })

  it('keeps at most MY_BOARDS_MAX boards, dropping the least recently active', () => {
    const s = memoryStorage()
    for (let i = 0; i < MY_BOARDS_MAX + 5; i++) recordBoard(s, { id: `board-${String(i).padStart(3, '0')}` }, 1000 + i)
    const list = readMyBoards(s)
    expect(list).toHaveLength(MY_BOARDS_MAX)
    expect(list[0]!.id).toBe(`board-${String(MY_BOARDS_MAX + 4).padStart(3, '0')}`)
    expect(list.some((b) => b.id === 'board-000')).toBe(false)
    expect((JSON.parse(s.data.get(MY_BOARDS_KEY)!) as unknown[]).length).toBe(MY_BOARDS_MAX)
  })

  it('removes one board from the list only', () => {
    const s = memoryStorage({ 'arvo.token.boardAAAAAA': 'x' })
    recordBoard(s, { id: A }, 1)
    recordBoard(s, { id: B }, 2)
    expect(removeMyBoard(s, A).map((b) => b.id)).toEqual([B])
    expect(readMyBoards(s).map((b) => b.id)).toEqual([B])
    expect(s.data.get('arvo.token.boardAAAAAA')).toBe('x')
    expect(removeMyBoard(s, 'unknown-board').map((b) => b.id)).toEqual([B])
  })

  it('ignores a malformed board id', () => {
    const s = memoryStorage()
    expect(recordBoard(s, { id: '../x' }, 1)).toEqual([])
    expect(s.data.has(MY_BOARDS_KEY)).toBe(false)
  })
})

describe('HOME-2 tolerant of garbage in storage', () => {
  it.each([
    ['not JSON', '{oops'],
    ['an object', '{"id":"boardAAAAAA"}'],
    ['a number', '42'],
    ['null', 'null'],
  ])('%s reads as an empty list, and recording replaces it', (_, raw) => {
    const s = memoryStorage({ [MY_BOARDS_KEY]: raw })
    expect(readMyBoards(s)).toEqual([])
    recordBoard(s, { id: A }, 10)
    expect(readMyBoards(s)).toEqual([{ id: A, title: null, templates: [], lastActivity: 10 }])
  })

  it('keeps the valid entries and cleans the fields of the others', () => {
    const raw = JSON.stringify([
      null,
      7,
      { id: 'x', lastActivity: 1 },
      { id: A, lastActivity: 'yesterday' },
      { id: A, lastActivity: -5 },
      { id: B, lastActivity: 20, title: 12, templates: ['pyramid', 'hexagon', 3] },
      { id: C, lastActivity: 30, title: '   ', templates: 'pyramid' },
      { id: B, lastActivity: 10, title: 'older duplicate' },
      { id: A, lastActivity: 5, title: 'x'.repeat(500) },
    ])
    const list = readMyBoards(memoryStorage({ [MY_BOARDS_KEY]: raw }))
    expect(list.map((b) => b.id)).toEqual([C, B, A])
    expect(list[0]).toEqual({ id: C, title: null, templates: [], lastActivity: 30 })
    expect(list[1]).toEqual({ id: B, title: null, templates: ['pyramid'], lastActivity: 20 })
    expect(list[2]!.title).toHaveLength(120)
  })

  it('survives storage that cannot be read or written', () => {
    expect(readMyBoards(memoryStorage({}, { failReads: true }))).toEqual([])
    const full = memoryStorage({}, { failWrites: true })
    expect(recordBoard(full, { id: A }, 1)).toEqual([{ id: A, title: null, templates: [], lastActivity: 1 }])
    expect(readMyBoards(full)).toEqual([])
  })
})

describe('HOME-3 recorder decisions and relative time', () => {
  it('writes at once what changes title or templates, or adds a board', () => {
    const list = [{ id: A, title: 'T', templates: ['pyramid' as const], lastActivity: 1 }]
    expect(changesShape(list, { id: B })).toBe(true)
    expect(changesShape(list, { id: A, title: 'T', templates: ['pyramid'] })).toBe(false)
    expect(changesShape(list, { id: A, title: ' T ' })).toBe(false)
    expect(changesShape(list, { id: A, title: 'U' })).toBe(true)
    expect(changesShape(list, { id: A, templates: ['pyramid', 'staircase'] })).toBe(true)
    expect(changesShape(list, { id: A, lastActivity: 99 })).toBe(false)
  })

  it('formats last activity in the UI language', () => {
    const now = Date.UTC(2026, 3, 10, 12)
    expect(relativeTime('en', now - 20_000, now)).toBe('now')
    expect(relativeTime('en', now - 5 * 60_000, now)).toBe('5 minutes ago')
    expect(relativeTime('en', now - 26 * 3600_000, now)).toBe('yesterday')
    expect(relativeTime('ru', now - 5 * 60_000, now)).toBe('5 минут назад')
    expect(relativeTime('ru', now - 2 * 3600_000, now)).toBe('2 часа назад')
    expect(relativeTime('fi', now - 3 * 24 * 3600_000, now)).toBe('3 päivää sitten')
    expect(relativeTime('et', now - 2 * 7 * 24 * 3600_000, now)).toMatch(/2 nädala eest/)
  })
})

describe('HOME-4 copied links', () => {
  it('names each link in the UI language, on this page\'s origin', () => {
    const links = {
      facilitator: 'https://arvo.example/b/boardAAAAAA#token=f',
      provider: 'https://arvo.example/b/boardAAAAAA#token=p',
      customer: 'https://arvo.example/b/boardAAAAAA#token=c',
      viewer: 'https://arvo.example/b/boardAAAAAA#token=v',
    }
    expect(linksText('en', 'Kickoff', links, 'http://localhost:8080').split('\n')).toEqual([
      'Kickoff',
      'Facilitator: http://localhost:8080/b/boardAAAAAA#token=f',
      'Provider participant: http://localhost:8080/b/boardAAAAAA#token=p',
      'Customer participant: http://localhost:8080/b/boardAAAAAA#token=c',
      'Viewer: http://localhost:8080/b/boardAAAAAA#token=v',
    ])
    expect(linksText('fi', 'T', { facilitator: links.facilitator }, 'http://h').split('\n')).toEqual([
      'T',
      'Fasilitaattori: http://h/b/boardAAAAAA#token=f',
    ])
  })
})
