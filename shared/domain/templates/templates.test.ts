import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { LANGUAGES, type Language } from '../../i18n/languages.ts'
import { BOARD_PAGE_ID } from '../../protocol.ts'
import { convexPolygonsOverlap, pointInPolygon, rectPolygon, rectsOverlap } from '../geometry.ts'
import { richTextToPlain } from '../richText.ts'
import { geoLabelHeight, labelRect, validateRecord } from '../test/helpers.ts'
import { readArvoMeta, TEMPLATE_KINDS, type ArvoLabelMeta, type TemplateKind } from '../types.ts'
import { extractZones } from '../zones.ts'
import { SANS_ADVANCES } from '../fontMetrics.ts'
import { GEO_LABEL_PADDING, labelFontPx, longestWordPx, longestWordWidth, type TextStyle } from '../layout.ts'
import { localizedTemplateText } from './localize.ts'
import {
  ACTION_COLUMNS,
  ACTION_WAYS,
  addTemplateToBoard,
  buildTemplate,
  nextInstanceId,
  nextTemplateOrigin,
  placeTemplates,
  PYRAMID_LEVELS,
  ROLE_COLUMNS,
  ROLE_ROWS,
  STAIRCASE_STEPS,
  TEMPLATE_GAP,
  templateBounds,
  templatePlacements,
  templateZones,
  zoneLabel,
  zonePhrase,
} from './index.ts'

const langs = LANGUAGES.map((l) => l.code)
const build = (kind: TemplateKind, language: Language = 'en', origin = { x: 0, y: 0 }) =>
  buildTemplate(kind, { instance: `${kind}-1`, origin, language })
const labelsOf = (records: TLShape[]) =>
  records.filter((r) => readArvoMeta(r)?.kind === 'label') as TLShape[]
const metaOf = (r: TLShape) => readArvoMeta(r)
/** Every (placed in, read in) pair of languages. */
const pairs = langs.flatMap((placed) => langs.map((read) => [placed, read] as const))
/** A template placed in `placed` as a reader of `read` sees it (TPL-8): same records, texts in `read`. */
const readIn = (kind: TemplateKind, placed: Language, read: Language): TLShape[] =>
  build(kind, placed).map((r) => {
    const text = localizedTemplateText(r, read)
    return text ? ({ ...r, props: { ...r.props, richText: text } } as TLShape) : r
  })

describe.each(TEMPLATE_KINDS)('template %s', (kind) => {
  it.each(langs)('TPL-1 every record passes tldraw schema validation (%s)', (lang) => {
    const records = build(kind, lang)
    expect(records.length).toBeGreaterThan(5)
    for (const r of records) expect(() => validateRecord(r), r.id).not.toThrow()
  })

  it('TPL-1 the validator really rejects a broken record (the check can fail)', () => {
    const [first] = build(kind)
    const broken = { ...first!, props: { ...first!.props } } as Record<string, unknown>
    delete (broken.props as Record<string, unknown>).richText
    expect(() => validateRecord(broken)).toThrow()
  })

  it('META-1 every record carries valid Arvo meta; zones and labels are locked', () => {
    for (const r of build(kind)) {
      const meta = metaOf(r)
      expect(meta, r.id).not.toBeNull()
      expect(meta!.kind === 'note').toBe(false)
      expect(r.isLocked, r.id).toBe(true)
      if (meta!.kind !== 'note') {
        expect(meta!.template).toBe(kind)
        expect(meta!.instance).toBe(`${kind}-1`)
      }
    }
  })

  it('META-2 zones are rectangle or trapezoid geo shapes with the stable zone ids (ZONE-1)', () => {
    const zones = build(kind).filter((r) => metaOf(r)?.kind === 'zone')
    for (const z of zones) {
      expect(z.type).toBe('geo')
      expect(['rectangle', 'trapezoid']).toContain((z.props as { geo: string }).geo)
    }
    expect(zones.map((z) => (metaOf(z) as { zone: string }).zone).sort()).toEqual(
      templateZones(kind).map((d) => d.id).sort(),
    )
  })

  it('TPL-2 ids are shape:<instance>.<part> and unique', () => {
    const records = build(kind)
    const ids = records.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id.startsWith(`shape:${kind}-1.`)).toBe(true)
  })

  it('TPL-3 parent is the board page; indices strictly increase; zones lowest, ratings highest', () => {
    const records = buildTemplate(kind, { instance: 'x1', origin: { x: 0, y: 0 }, language: 'en', indexAbove: 'a5' })
    for (const r of records) expect(r.parentId).toBe(BOARD_PAGE_ID)
    expect(records[0]!.index > 'a5').toBe(true)
    for (let i = 1; i < records.length; i++) expect(records[i - 1]!.index < records[i]!.index).toBe(true)
    const rank = { zone: 0, label: 1, rating: 2, note: 3 } as const
    const ranks = records.map((r) => rank[metaOf(r)!.kind])
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
  })

  it('TPL-4 size is language-independent and every record lies inside the bounds', () => {
    const size = templateBounds(kind)
    const origin = { x: 1234, y: -567 }
    const zoneGeometry = (records: TLShape[]) =>
      JSON.stringify(
        records
          .filter((r) => metaOf(r)?.kind === 'zone')
          .map((r) => [r.id, r.x, r.y, (r.props as { w: number }).w, (r.props as { h: number }).h]),
      )
    const reference = zoneGeometry(build(kind, 'en', origin))
    for (const lang of langs) {
      const records = build(kind, lang, origin)
      expect(zoneGeometry(records)).toBe(reference)
      for (const r of records) {
        const rect = labelRect(r)
        expect(rect.x, r.id).toBeGreaterThanOrEqual(origin.x)
        expect(rect.y, r.id).toBeGreaterThanOrEqual(origin.y)
        expect(rect.x + rect.w, `${r.id} right edge (${lang})`).toBeLessThanOrEqual(origin.x + size.w + 1e-6)
        expect(rect.y + rect.h, `${r.id} bottom edge (${lang})`).toBeLessThanOrEqual(origin.y + size.h + 1e-6)
      }
    }
  })

  it.each(pairs)('TPL-7 TPL-9 labels do not overlap each other and sit inside their zone (placed in %s, read in %s)', (placed, read) => {
    const records = readIn(kind, placed, read)
    const zones = extractZones(records)
    const texts = labelsOf(records).filter((r) => r.type === 'text')
    const rects = texts.map((r) => ({ id: r.id, rect: labelRect(r) }))
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        expect(rectsOverlap(rects[i]!.rect, rects[j]!.rect), `${rects[i]!.id} overlaps ${rects[j]!.id}`).toBe(false)
      }
    }
    for (const r of texts) {
      const zoneId = (metaOf(r) as ArvoLabelMeta).zone
      if (!zoneId) continue
      const zone = zones.find((z) => z.zone === zoneId)!
      for (const corner of rectPolygon(labelRect(r))) {
        expect(pointInPolygon(corner, zone.polygon), `${r.id} corner outside ${zoneId}`).toBe(true)
      }
    }
  })

  it.each(pairs)('TPL-7 TPL-9 text inside geo shapes fits, so tldraw never grows them (placed in %s, read in %s)', (placed, read) => {
    for (const r of readIn(kind, placed, read).filter((s) => s.type === 'geo')) {
      expect(geoLabelHeight(r), r.id).toBeLessThanOrEqual((r.props as { h: number }).h)
    }
  })

  it.each(pairs)('TPL-9 every part is wider than its longest word, so no word breaks (placed in %s, read in %s)', (placed, read) => {
    for (const r of readIn(kind, placed, read)) {
      const p = r.props as { w: number; scale: number; size: TextStyle['size']; richText?: unknown }
      const text = richTextToPlain(p.richText)
      if (!text || metaOf(r)?.kind === 'note') continue
      const bold = JSON.stringify(p.richText).includes('"bold"')
      const style = { size: p.size, scale: p.scale, bold }
      if (r.type === 'text') {
        expect(longestWordWidth(text, style), `${r.id} «${text}»`).toBeLessThanOrEqual(p.w * p.scale)
      } else {
        // Geo labels have their own font sizes and padding: a word must fit the padded box.
        const inner = p.w - 2 * GEO_LABEL_PADDING * p.scale
        expect(longestWordPx(text, labelFontPx(style), bold), `${r.id} «${text}»`).toBeLessThanOrEqual(inner)
      }
    }
  })

  it('TPL-9 every part has the same place and size in every language', () => {
    const geometry = (lang: Language) =>
      JSON.stringify(build(kind, lang).map((r) => [r.id, r.x, r.y, (r.props as { w: number }).w, (r.props as { h?: number }).h]))
    for (const lang of langs) expect(geometry(lang), lang).toBe(geometry('en'))
  })

  it('TPL-9 the font metrics know every character of every template text', () => {
    const known = new Set(SANS_ADVANCES.map(([ch]) => ch))
    for (const lang of langs) {
      for (const r of build(kind, lang)) {
        for (const ch of richTextToPlain((r.props as { richText?: unknown }).richText)) {
          if (ch !== '\n') expect(known.has(ch), `${r.id}: «${ch}»`).toBe(true)
        }
      }
    }
  })

  it('TPL-7 prompts are at least 30 px and the template fits a 1080p screen legibly', () => {
    const { w, h } = templateBounds(kind)
    const zoomToFit = Math.min(1920 / w, 980 / h)
    for (const r of labelsOf(build(kind)).filter((s) => s.type === 'text')) {
      const p = r.props as { size: string; scale: number }
      const px = { s: 18, m: 24, l: 36, xl: 44 }[p.size]! * p.scale
      expect(px, r.id).toBeGreaterThanOrEqual(30)
      // On screen, after zooming the whole template into view: at least ~15 px.
      expect(px * zoomToFit, r.id).toBeGreaterThanOrEqual(15)
    }
  })

  it('I18N-1 all template texts differ between languages where a translation is expected', () => {
    const text = (lang: Language) =>
      labelsOf(build(kind, lang)).map((r) => richTextToPlain((r.props as { richText: unknown }).richText))
    const en = text('en')
    for (const lang of ['fi', 'et', 'ru'] as const) {
      const other = text(lang)
      expect(other.length).toBe(en.length)
      const same = other.filter((t, i) => t === en[i] && !/^[\d\s·.:]*$/.test(t))
      // Proper names and international words may coincide (e.g. "Service Desk" inside a prompt),
      // but whole labels equal to English would mean a missing translation.
      expect(same, lang).toEqual([])
    }
  })

  it('zone labels and phrases exist in every language', () => {
    for (const z of templateZones(kind)) {
      for (const lang of langs) {
        expect(zoneLabel(kind, z.id, lang)).toBeTruthy()
        expect(zonePhrase(kind, z.id, lang)).toBeTruthy()
      }
    }
    expect(zoneLabel(kind, 'no-such-zone', 'en')).toBeNull()
  })
})

describe('TPL-6 pyramid content', () => {
  const records = build('pyramid')
  const elements = labelsOf(records).filter((r) => (metaOf(r) as ArvoLabelMeta).role === 'element')

  it('has exactly 40 element prompts, 4 + 5 + 21 + 7 + 3 bottom to top', () => {
    expect(elements).toHaveLength(40)
    const perLevel = PYRAMID_LEVELS.map(
      (l) => elements.filter((e) => (metaOf(e) as ArvoLabelMeta).zone === l.id).length,
    )
    expect(perLevel).toEqual([4, 5, 21, 7, 3])
    expect(new Set(elements.map((e) => (metaOf(e) as ArvoLabelMeta).element)).size).toBe(40)
  })

  it('groups the elements by the published sub-groups', () => {
    const groups = (zone: string) => [
      ...new Set(
        elements.filter((e) => (metaOf(e) as ArvoLabelMeta).zone === zone).map((e) => (metaOf(e) as ArvoLabelMeta).group),
      ),
    ]
    expect(groups('functional')).toEqual(['economic', 'performance'])
    expect(groups('ease')).toEqual(['productivity', 'access', 'relationship', 'operational', 'strategic'])
    expect(groups('individual')).toEqual(['career', 'personal'])
    expect(groups('inspirational')).toEqual(['purpose'])
    const text = (id: string) =>
      richTextToPlain((elements.find((e) => (metaOf(e) as ArvoLabelMeta).element === id)!.props as { richText: unknown }).richText)
    expect(text('regulatoryCompliance')).toBe('Regulatory compliance')
    expect(text('socialResponsibility')).toBe('Social responsibility')
  })

  it('stacks five trapezoid levels, level 1 widest at the bottom, edges meeting exactly', () => {
    const zones = PYRAMID_LEVELS.map((l) => records.find((r) => (metaOf(r) as { zone?: string }).zone === l.id && metaOf(r)!.kind === 'zone')!)
    for (let i = 1; i < zones.length; i++) {
      const below = zones[i - 1]!
      const above = zones[i]!
      const pb = below.props as { w: number; h: number }
      const pa = above.props as { w: number; h: number }
      expect(above.y + pa.h).toBeCloseTo(below.y, 6) // above sits on below
      expect(pa.w).toBeLessThan(pb.w)
      // the bottom edge of the upper level equals the top edge of the lower one
      expect(pa.w).toBeCloseTo(pb.w - 2 * 0.38 * Math.min(pb.w, pb.h), 6)
    }
    for (const z of zones) expect((z.props as { geo: string }).geo).toBe('trapezoid')
  })

  it('uses the seed’s Finnish wording', () => {
    const fi = labelsOf(build('pyramid', 'fi')).map((r) => richTextToPlain((r.props as { richText: unknown }).richText))
    expect(fi).toContain('1 · Yhteistyön vähimmäisvaatimukset')
    expect(fi).toContain('Hyväksyttävä hinta')
    expect(fi).toContain('Sosiaalinen vastuullisuus')
    const ru = labelsOf(build('pyramid', 'ru')).map((r) => richTextToPlain((r.props as { richText: unknown }).richText))
    expect(ru).toContain('5 · Вдохновляющая ценность')
  })
})

describe('TPL-6 role map, staircase and action plan content', () => {
  it('role map: provider | shared | customer columns, four stage rows, 12 prompted cells', () => {
    expect(ROLE_COLUMNS.map((c) => c.id)).toEqual(['provider', 'shared', 'customer'])
    expect(ROLE_ROWS.map((r) => r.id)).toEqual(['design', 'transition', 'delivery', 'improvement'])
    const records = build('roleMap', 'ru')
    const zones = extractZones(records)
    expect(zones).toHaveLength(12)
    // columns left to right, rows top to bottom
    const z = (id: string) => zones.find((q) => q.zone === id)!
    expect(z('design.provider').bounds.x).toBeLessThan(z('design.shared').bounds.x)
    expect(z('design.shared').bounds.x).toBeLessThan(z('design.customer').bounds.x)
    expect(z('design.shared').bounds.y).toBeLessThan(z('transition.shared').bounds.y)
    expect(z('delivery.shared').bounds.y).toBeLessThan(z('improvement.shared').bounds.y)
    const prompts = labelsOf(records).filter((r) => (metaOf(r) as ArvoLabelMeta).role === 'prompt')
    expect(prompts).toHaveLength(12)
    const text = prompts.map((p) => richTextToPlain((p.props as { richText: unknown }).richText)).join('\n')
    expect(text).toContain('банкомат') // seed 003's consumer example
    expect(text).toContain('Service Desk')
  })

  it('staircase: five steps climbing left to right, a provider and a customer rating on each', () => {
    const records = build('staircase')
    const zones = STAIRCASE_STEPS.map((s) => extractZones(records).find((z) => z.zone === s.id)!)
    expect(zones.map((z) => z.zone)).toEqual(['information', 'understanding', 'relevance', 'differentiation', 'delivery'])
    for (let i = 1; i < zones.length; i++) {
      expect(zones[i]!.bounds.x).toBeGreaterThan(zones[i - 1]!.bounds.x)
      expect(zones[i]!.bounds.y).toBeLessThan(zones[i - 1]!.bounds.y) // higher step
      expect(zones[i]!.bounds.y + zones[i]!.bounds.h).toBeCloseTo(zones[i - 1]!.bounds.y + zones[i - 1]!.bounds.h, 6)
    }
    const ratings = records.filter((r) => metaOf(r)?.kind === 'rating')
    expect(ratings).toHaveLength(10)
    for (const step of STAIRCASE_STEPS) {
      for (const side of ['provider', 'customer'] as const) {
        const r = ratings.filter((q) => {
          const m = metaOf(q)
          return m?.kind === 'rating' && m.zone === step.id && m.side === side
        })
        expect(r).toHaveLength(1)
        expect((metaOf(r[0]!) as { value: number }).value).toBe(0)
        // the rating shape sits inside its step
        const zone = zones.find((z) => z.zone === step.id)!
        for (const corner of rectPolygon(labelRect(r[0]!))) expect(pointInPolygon(corner, zone.polygon)).toBe(true)
      }
    }
  })

  it('action plan: five easy ways plus our own idea × action | owner side | owner | due', () => {
    expect(ACTION_WAYS.map((w) => w.id)).toEqual([
      'reassure',
      'anticipate',
      'helpSucceed',
      'trainCustomers',
      'trainNewUsers',
      'other',
    ])
    expect(ACTION_COLUMNS.map((c) => c.id)).toEqual(['action', 'ownerSide', 'owner', 'due'])
    const records = build('actionPlan', 'fi')
    expect(extractZones(records)).toHaveLength(24)
    const text = labelsOf(records).map((r) => richTextToPlain((r.props as { richText: unknown }).richText))
    expect(text).toContain(
      '1. Tue asiakasta hänen ostopäätöksensä jälkeen vahvistamalla hänelle oston olleen oikea päätös',
    )
    expect(text).toContain('Vastuuhenkilö')
    expect(text).toContain('Määräaika')
  })
})

describe('TPL-5 placing several templates', () => {
  it('lays them out left to right, tops aligned, gap apart, never overlapping', () => {
    const kinds: TemplateKind[] = ['pyramid', 'staircase', 'pyramid', 'actionPlan', 'roleMap']
    const placements = templatePlacements(kinds, { origin: { x: 10, y: 20 } })
    expect(placements.map((p) => p.instance)).toEqual([
      'pyramid-1',
      'staircase-1',
      'pyramid-2',
      'actionPlan-1',
      'roleMap-1',
    ])
    for (let i = 1; i < placements.length; i++) {
      const prev = placements[i - 1]!
      expect(placements[i]!.origin.y).toBe(20)
      expect(placements[i]!.origin.x).toBe(prev.origin.x + prev.size.w + TEMPLATE_GAP)
    }
  })

  it('produces valid records with unique ids and indices increasing across templates', () => {
    const records = placeTemplates(['roleMap', 'pyramid', 'staircase', 'actionPlan'], 'et', { indexAbove: 'a3' })
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length)
    expect(records[0]!.index > 'a3').toBe(true)
    for (let i = 1; i < records.length; i++) expect(records[i - 1]!.index < records[i]!.index).toBe(true)
    for (const r of records) validateRecord(r)
    const zones = extractZones(records)
    for (let i = 0; i < zones.length; i++) {
      for (let j = i + 1; j < zones.length; j++) {
        expect(convexPolygonsOverlap(zones[i]!.polygon, zones[j]!.polygon)).toBe(false)
      }
    }
  })

  it('refuses duplicate instance ids and invalid options', () => {
    expect(() => placeTemplates(['pyramid', 'roleMap'], 'en', { instances: ['a', 'a'] })).toThrow()
    expect(() => buildTemplate('pyramid', { instance: 'bad id!', origin: { x: 0, y: 0 }, language: 'en' })).toThrow()
    expect(() => buildTemplate('pyramid', { instance: 'ok', origin: { x: NaN, y: 0 }, language: 'en' })).toThrow()
    expect(() => buildTemplate('pyramid', { instance: 'ok', origin: { x: 0, y: 0 }, language: 'de' as Language })).toThrow()
  })

  it('adds a template to an existing board to the right of everything, above every index', () => {
    const board = placeTemplates(['pyramid', 'staircase'], 'en')
    expect(nextInstanceId('pyramid', board)).toBe('pyramid-2')
    expect(nextInstanceId('roleMap', board)).toBe('roleMap-1')
    const origin = nextTemplateOrigin(board)
    const rightmostShape = Math.max(...board.map((r) => labelRect(r).x + labelRect(r).w))
    expect(origin.x).toBeGreaterThanOrEqual(rightmostShape + TEMPLATE_GAP)
    expect(origin.y).toBe(0) // aligned with the existing templates' origin
    const added = addTemplateToBoard('pyramid', board, 'fi')
    expect(added[0]!.id.startsWith('shape:pyramid-2.')).toBe(true)
    const maxIndex = board.map((r) => r.index).sort().at(-1)!
    expect(added[0]!.index > maxIndex).toBe(true)
    const oldZones = extractZones(board)
    for (const z of extractZones(added)) {
      for (const o of oldZones) expect(convexPolygonsOverlap(z.polygon, o.polygon)).toBe(false)
    }
    expect(nextTemplateOrigin([])).toEqual({ x: 0, y: 0 })
  })
})
