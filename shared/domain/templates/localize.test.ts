import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { LANGUAGES } from '../../i18n/languages.ts'
import { buildNote } from '../records.ts'
import { setRating } from '../ratings.ts'
import { richText, richTextToPlain } from '../richText.ts'
import { readArvoMeta, TEMPLATE_KINDS } from '../types.ts'
import { buildTemplate } from './index.ts'
import { localizedTemplateText } from './localize.ts'
import { ratingText } from './staircase.ts'

const langs = LANGUAGES.map((l) => l.code)
const plain = (s: TLShape) => richTextToPlain((s.props as { richText: unknown }).richText)

describe('template texts in the viewer language (TPL-8)', () => {
  it('TPL-8 every zone and label placed in one language shows the text built in the viewer language', () => {
    for (const kind of TEMPLATE_KINDS) {
      for (const placed of langs) {
        const board = buildTemplate(kind, { instance: `${kind}-7`, origin: { x: 300, y: -40 }, language: placed })
        for (const viewer of langs) {
          const want = buildTemplate(kind, { instance: 'other', origin: { x: 0, y: 0 }, language: viewer })
          board.forEach((shape, i) => {
            const kindOf = readArvoMeta(shape)?.kind
            if (kindOf !== 'zone' && kindOf !== 'label') return
            const got = localizedTemplateText(shape, viewer)
            expect(got, `${kind} ${shape.id} ${placed}->${viewer}`).not.toBeNull()
            expect(richTextToPlain(got)).toBe(plain(want[i]!))
          })
        }
      }
    }
  })

  it('TPL-8 a Finnish-placed role map reads in Russian for a Russian viewer, and back in Finnish', () => {
    const fi = buildTemplate('roleMap', { instance: 'roleMap-1', origin: { x: 0, y: 0 }, language: 'fi' })
    const title = fi.find((s) => s.id === 'shape:roleMap-1.label.title')!
    expect(plain(title)).toMatch(/Rooli/)
    expect(richTextToPlain(localizedTemplateText(title, 'ru'))).toMatch(/[А-Яа-я]/)
    expect(richTextToPlain(localizedTemplateText(title, 'fi'))).toBe(plain(title))
  })

  it('TPL-8 RATE-2 a rating shows its value in the viewer language, whatever language it was set in', () => {
    const stair = buildTemplate('staircase', { instance: 's1', origin: { x: 0, y: 0 }, language: 'et' })
    const rating = stair.find((s) => readArvoMeta(s)?.kind === 'rating')!
    const meta = readArvoMeta(rating)
    if (meta?.kind !== 'rating') throw new Error('no rating')
    const rated = setRating(rating, 4)
    for (const viewer of langs) {
      expect(richTextToPlain(localizedTemplateText(rated, viewer))).toBe(ratingText(meta.side, 4, viewer))
    }
    // A stock client that set only the value: the label follows the value.
    const valueOnly = { ...rating, meta: { arvo: { ...(rating.meta.arvo as object), value: 2 } } } as TLShape
    expect(richTextToPlain(localizedTemplateText(valueOnly, 'en'))).toBe(ratingText(meta.side, 2, 'en'))
  })

  it('TPL-8 a changed template text, notes and unknown parts keep their stored text (null)', () => {
    const pyramid = buildTemplate('pyramid', { instance: 'p1', origin: { x: 0, y: 0 }, language: 'en' })
    const title = pyramid.find((s) => s.id === 'shape:p1.label.title')!
    const renamed = { ...title, props: { ...title.props, richText: richText('Our own pyramid') } } as TLShape
    expect(localizedTemplateText(renamed, 'fi')).toBeNull()
    const note = buildNote({
      id: 'n1',
      x: 0,
      y: 0,
      index: 'a1' as never,
      text: 'Hello',
      author: { authorId: 'a', authorName: 'A', side: 'provider' },
    })
    expect(localizedTemplateText(note, 'fi')).toBeNull()
    expect(localizedTemplateText({ ...title, id: 'shape:p1.nothing' }, 'fi')).toBeNull()
    expect(localizedTemplateText({ ...title, id: 'shape:elsewhere.label.title' }, 'fi')).toBeNull()
    expect(localizedTemplateText(null, 'fi')).toBeNull()
  })
})
