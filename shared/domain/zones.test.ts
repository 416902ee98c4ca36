import fc from 'fast-check'
import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { convexPolygonsOverlap, rectsOverlap, type Point, type Polygon } from './geometry.ts'
import { geoShape } from './records.ts'
import { noteAt } from './test/helpers.ts'
import { buildTemplate, placeTemplates, templateBounds, templatePlacements } from './templates/index.ts'
import { META_KEY, TEMPLATE_KINDS, type TemplateKind } from './types.ts'
import { assignNotes, extractZones, zoneAt, type Zone } from './zones.ts'

/** A point strictly inside a convex quadrilateral: bilinear blend of its corners, u, v ∈ (0, 1). */
function pointInQuad(q: Polygon, u: number, v: number): Point {
  const [p0, p1, p2, p3] = q as [Point, Point, Point, Point]
  const top = { x: p0.x + (p1.x - p0.x) * u, y: p0.y + (p1.y - p0.y) * u }
  const bottom = { x: p3.x + (p2.x - p3.x) * u, y: p3.y + (p2.y - p3.y) * u }
  return { x: top.x + (bottom.x - top.x) * v, y: top.y + (bottom.y - top.y) * v }
}

const kindArb = fc.constantFrom<TemplateKind>(...TEMPLATE_KINDS)
const langArb = fc.constantFrom('en' as const, 'fi' as const, 'et' as const, 'ru' as const)
const originArb = fc.record({
  x: fc.integer({ min: -100_000, max: 100_000 }),
  y: fc.integer({ min: -100_000, max: 100_000 }),
})
/** Stay a little away from the edges so that a point is strictly inside (≥ 2 px for our zones). */
const interior = fc.double({ min: 0.01, max: 0.99, noNaN: true })

const zonesOf = (kind: TemplateKind, origin = { x: 0, y: 0 }) =>
  extractZones(buildTemplate(kind, { instance: `${kind}-1`, origin, language: 'en' }))

describe('ZONE-1 zone extraction', () => {
  it('finds every zone of every template with its template, instance and id', () => {
    expect(zonesOf('pyramid').map((z) => z.zone)).toEqual([
      'tableStakes',
      'functional',
      'ease',
      'individual',
      'inspirational',
    ])
    expect(zonesOf('roleMap')).toHaveLength(12)
    expect(zonesOf('staircase')).toHaveLength(5)
    expect(zonesOf('actionPlan')).toHaveLength(24)
    for (const z of zonesOf('roleMap')) {
      expect(z.template).toBe('roleMap')
      expect(z.instance).toBe('roleMap-1')
    }
  })

  it('uses the trapezoid outline for pyramid levels (corners of the bounding box are outside)', () => {
    const ease = zonesOf('pyramid').find((z) => z.zone === 'ease')!
    expect(ease.polygon).toHaveLength(4)
    const { x, y, w } = ease.bounds
    const topLeftCorner = { x: x + 5, y: y + 5 }
    expect(zoneAt(topLeftCorner, [ease])).toBeNull()
    expect(zoneAt({ x: x + w / 2, y: y + 5 }, [ease])?.zone).toBe('ease')
  })

  it('ignores shapes with broken zone meta or no geometry', () => {
    const good = geoShape({
      id: 'z1',
      x: 0,
      y: 0,
      w: 100,
      h: 100,
      index: 'a1' as never,
      isLocked: true,
      meta: { [META_KEY]: { kind: 'zone', template: 'pyramid', instance: 'p', zone: 'ease' } },
    })
    const badMeta = { ...good, id: 'shape:z2', meta: { [META_KEY]: { kind: 'zone', template: 'nope', instance: 'p', zone: 'x' } } }
    const noSize = { ...good, id: 'shape:z3', props: { ...good.props, w: 'wide' } }
    const orphan = { ...good, id: 'shape:z4', parentId: 'shape:missing' }
    expect(extractZones([good, badMeta, noSize, orphan, null, 42, { typeName: 'page' }]).map((z) => z.shapeId)).toEqual([
      'shape:z1',
    ])
  })
})

describe('ZONE-2 notes are assigned by their centre', () => {
  it('PROPERTY every point strictly inside a zone maps to that zone', () => {
    fc.assert(
      fc.property(kindArb, originArb, fc.nat(), interior, interior, (kind, origin, pick, u, v) => {
        const zones = zonesOf(kind, origin)
        const zone = zones[pick % zones.length]!
        const p = pointInQuad(zone.polygon, u, v)
        expect(zoneAt(p, zones)?.zone).toBe(zone.zone)
      }),
      { numRuns: 300 },
    )
  })

  it('PROPERTY a note of any scale and growY lands in the zone holding its centre', () => {
    fc.assert(
      fc.property(
        kindArb,
        langArb,
        fc.nat(),
        interior,
        interior,
        fc.double({ min: 0.25, max: 4, noNaN: true }),
        fc.integer({ min: 0, max: 400 }),
        (kind, lang, pick, u, v, scale, growY) => {
          const template = buildTemplate(kind, { instance: 'k1', origin: { x: 300, y: -200 }, language: lang })
          const zones = extractZones(template)
          const zone = zones[pick % zones.length]!
          const center = pointInQuad(zone.polygon, u, v)
          const note = noteAt(center, { id: 'u1', side: 'customer' }, 'x', { scale, growY })
          const [a] = assignNotes([...template, note])
          expect(a!.center.x).toBeCloseTo(center.x, 6)
          expect(a!.center.y).toBeCloseTo(center.y, 6)
          expect(a!.zone).toEqual({ template: kind, instance: 'k1', zone: zone.zone })
        },
      ),
      { numRuns: 150 },
    )
  })

  it('uses the note centre, not its top-left corner', () => {
    const zones = zonesOf('roleMap')
    const cell = zones.find((z) => z.zone === 'design.provider')!
    // Top-left corner inside design.provider, centre inside design.shared (one cell to the right).
    const x = cell.bounds.x + cell.bounds.w - 50
    const y = cell.bounds.y + 100
    const note = noteAt({ x: x + 100, y: y + 100 }, { id: 'u', side: 'provider' })
    expect(note.x).toBe(x)
    const [a] = assignNotes([...buildTemplate('roleMap', { instance: 'roleMap-1', origin: { x: 0, y: 0 }, language: 'en' }), note])
    expect(a!.zone?.zone).toBe('design.shared')
  })

  it('rotates the centre with the note (tldraw rotates about the top-left corner)', () => {
    const zone = geoShape({
      id: 'z',
      x: -300,
      y: 0,
      w: 300,
      h: 300,
      index: 'a1' as never,
      isLocked: true,
      meta: { [META_KEY]: { kind: 'zone', template: 'staircase', instance: 's', zone: 'relevance' } },
    })
    const upright = noteAt({ x: 100, y: 100 }, { id: 'u', side: 'provider' }) // x, y = 0, 0
    const rotated = { ...upright, id: 'shape:rot' as never, rotation: Math.PI / 2 } // centre → (-100, 100)
    const out = assignNotes([zone, upright, rotated])
    expect(out.find((a) => a.noteId === upright.id)!.zone).toBeNull()
    const r = out.find((a) => a.noteId === 'shape:rot')!
    expect(r.center.x).toBeCloseTo(-100, 6)
    expect(r.center.y).toBeCloseTo(100, 6)
    expect(r.zone?.zone).toBe('relevance')
  })

  it('follows the parent chain (a note inside a rotated frame)', () => {
    const zone = geoShape({
      id: 'z',
      x: 900,
      y: 900,
      w: 400,
      h: 400,
      index: 'a1' as never,
      isLocked: true,
      meta: { [META_KEY]: { kind: 'zone', template: 'pyramid', instance: 'p', zone: 'hope' } },
    })
    const frame = {
      ...geoShape({ id: 'frame', x: 1000, y: 1000, w: 500, h: 500, index: 'a2' as never, isLocked: false, meta: {} }),
      rotation: Math.PI, // the frame's local +x points left, +y points up
    }
    const note = { ...noteAt({ x: 100, y: 100 }, { id: 'u', side: 'provider' }), parentId: 'shape:frame' as never }
    const [a] = assignNotes([zone, frame, note])
    expect(a!.center.x).toBeCloseTo(900, 6)
    expect(a!.center.y).toBeCloseTo(900, 6)
    expect(a!.zone?.zone).toBe('hope')
    // A note whose parent is missing cannot be placed and is left out.
    expect(assignNotes([zone, { ...note, parentId: 'shape:gone' as never }])).toEqual([])
  })

  it('returns null for a note outside every zone', () => {
    const template = buildTemplate('staircase', { instance: 's1', origin: { x: 0, y: 0 }, language: 'en' })
    const { w, h } = templateBounds('staircase')
    const [a] = assignNotes([...template, noteAt({ x: w + 500, y: h / 2 }, { id: 'u', side: 'provider' })])
    expect(a!.zone).toBeNull()
  })
})

describe('ZONE-3 overlapping zones: the topmost wins', () => {
  const zone = (id: string, x: number, index: string): Zone => ({
    template: 'roleMap',
    instance: 'r',
    zone: id,
    shapeId: `shape:${id}`,
    polygon: [
      { x, y: 0 },
      { x: x + 100, y: 0 },
      { x: x + 100, y: 100 },
      { x, y: 100 },
    ],
    bounds: { x, y: 0, w: 100, h: 100 },
    index,
  })

  it('a point on a shared edge goes to the higher index, whatever the order', () => {
    const a = zone('left', 0, 'a1')
    const b = zone('right', 100, 'a2')
    expect(zoneAt({ x: 100, y: 50 }, [a, b])?.zone).toBe('right')
    expect(zoneAt({ x: 100, y: 50 }, [b, a])?.zone).toBe('right')
    expect(zoneAt({ x: 99, y: 50 }, [b, a])?.zone).toBe('left')
  })

  it('equal indices fall back to the shape id', () => {
    const a = zone('aaa', 0, 'a1')
    const b = zone('bbb', 0, 'a1')
    expect(zoneAt({ x: 50, y: 50 }, [b, a])?.zone).toBe('bbb')
    expect(zoneAt({ x: 50, y: 50 }, [a, b])?.zone).toBe('bbb')
  })
})

describe('ZONE-4 zones and templates never overlap', () => {
  it.each(TEMPLATE_KINDS)('zones of one %s never overlap', (kind) => {
    const zones = zonesOf(kind)
    for (let i = 0; i < zones.length; i++) {
      for (let j = i + 1; j < zones.length; j++) {
        expect(
          convexPolygonsOverlap(zones[i]!.polygon, zones[j]!.polygon),
          `${zones[i]!.zone} overlaps ${zones[j]!.zone}`,
        ).toBe(false)
      }
    }
  })

  it('the overlap check itself detects overlap (it can fail)', () => {
    const [a, b] = zonesOf('pyramid')
    const shifted = b!.polygon.map((p) => ({ x: p.x, y: p.y + 10 }))
    expect(convexPolygonsOverlap(a!.polygon, shifted)).toBe(true)
  })

  it('PROPERTY templates placed by placeTemplates never overlap, nor do any of their zones', () => {
    fc.assert(
      fc.property(
        fc.array(kindArb, { minLength: 1, maxLength: 6 }),
        originArb,
        fc.integer({ min: 0, max: 500 }),
        (kinds, origin, gap) => {
          const placements = templatePlacements(kinds, { origin, gap })
          const rects = placements.map((p) => ({ ...p.origin, ...p.size }))
          for (let i = 0; i < rects.length; i++) {
            for (let j = i + 1; j < rects.length; j++) expect(rectsOverlap(rects[i]!, rects[j]!)).toBe(false)
          }
          const records: TLShape[] = placeTemplates(kinds, 'en', { origin, gap })
          const zones = extractZones(records)
          for (const z of zones) {
            // each zone inside its own template's rectangle
            const p = placements.find((q) => q.instance === z.instance)!
            expect(z.bounds.x).toBeGreaterThanOrEqual(p.origin.x)
            expect(z.bounds.x + z.bounds.w).toBeLessThanOrEqual(p.origin.x + p.size.w + 1e-6)
          }
          for (let i = 0; i < zones.length; i++) {
            for (let j = i + 1; j < zones.length; j++) {
              expect(convexPolygonsOverlap(zones[i]!.polygon, zones[j]!.polygon)).toBe(false)
            }
          }
        },
      ),
      { numRuns: 40 },
    )
  })
})
