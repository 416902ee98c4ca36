/**
 * Test fixtures of the PDF renderer: valid tldraw 5.4 records of every other kind of content
 * (text, frame, free drawing, highlighter, arrow, line, geo shapes of every outline, images
 * with and without bytes, a bookmark), long notes that must shrink to fit, and odd records
 * that must not crash anything. Built by hand, without an editor.
 */
import { b64Vecs } from '@tldraw/tlschema'
import { crc32, deflateSync } from 'node:zlib'
import * as Y from 'yjs'
import { buildNote, geoShape, richText, textShape, type IndexKey } from '../../../shared/domain/index.ts'
import { BOARD_PAGE_ID, DocLayout } from '../../../shared/protocol.ts'
import { exportInputFromDoc, type ExportInput } from '../input.ts'
import { bigBoardDoc } from '../test/bigBoard.ts'

export const EXTRA = {
  text: 'Muistiinpano: sopimus allekirjoitetaan joulukuussa',
  frame: 'Kehys: jatkotoimet',
  arrow: 'Seuraava vaihe',
  geoLabel: 'Riskit ja mahdollisuudet',
  longNote:
    'Tämä on hyvin pitkä lappu, jossa asiakas kertoo laajasti, mitä yhteistyöltä odotetaan seuraavan vuoden aikana: säännölliset katselmoinnit, selkeät vastuut ja yhteinen mittaristo.',
  longWord: 'Asiakastyytyväisyyskyselytulosraportti valmis',
  imageAsset: 'asset:pdf-test-png',
} as const

/** A small PNG (8 × 8, red to blue, with alpha), built here so that its bytes are valid. */
function pngDataUrl(): string {
  const w = 8
  const h = 8
  const raw = Buffer.alloc(h * (1 + w * 4))
  for (let y = 0; y < h; y++) {
    raw[y * (1 + w * 4)] = 0
    for (let x = 0; x < w; x++) raw.set([255 - x * 30, 40, x * 30, 255], y * (1 + w * 4) + 1 + x * 4)
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body) >>> 0)
    return Buffer.concat([len, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr.set([8, 6, 0, 0, 0], 8)
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
  return `data:image/png;base64,${png.toString('base64')}`
}

/** A PNG whose compressed data is broken (pdfkit would fail on it asynchronously). */
export const BROKEN_PNG_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR4nGP8z8DwnwEIGBmYGBgYGAAi9gMBfVMsWQAAAABJRU5ErkJggg=='

const base = (id: string, type: string, x: number, y: number, index: string, props: Record<string, unknown>) => ({
  id: `shape:${id}`,
  typeName: 'shape',
  type,
  x,
  y,
  rotation: 0,
  index,
  parentId: BOARD_PAGE_ID,
  isLocked: false,
  opacity: 1,
  meta: {},
  props,
})

const GEOS = ['ellipse', 'triangle', 'diamond', 'pentagon', 'hexagon', 'octagon', 'star', 'rhombus', 'rhombus-2', 'oval', 'trapezoid', 'arrow-right', 'arrow-left', 'arrow-up', 'arrow-down', 'x-box', 'check-box', 'heart', 'cloud'] as const

/**
 * Valid records of other content, placed in a strip starting at (x, y) (below the templates).
 * Keys `zz…` keep them above the templates' indices.
 */
export function otherShapes(x: number, y: number): unknown[] {
  const out: unknown[] = []
  let n = 0
  const idx = () => `zz${String(n++).padStart(3, '0')}` as IndexKey
  out.push(textShape({ id: 'pdf-text', x, y, index: idx(), isLocked: false, meta: {}, text: EXTRA.text, w: 700, size: 'l' }))
  out.push({
    ...base('pdf-frame', 'frame', x, y + 200, idx(), { w: 900, h: 600, name: EXTRA.frame, color: 'black' }),
  })
  const wave = Array.from({ length: 40 }, (_, i) => ({ x: i * 20, y: 80 + Math.sin(i / 3) * 60, z: 0.5 }))
  out.push(base('pdf-draw', 'draw', x + 40, y + 260, idx(), {
    color: 'violet', fill: 'none', dash: 'draw', size: 'm',
    segments: [{ type: 'free', path: b64Vecs.encodePoints(wave) }],
    isComplete: true, isClosed: false, isPen: false, scale: 1, scaleX: 1, scaleY: 1,
  }))
  out.push(base('pdf-highlight', 'highlight', x + 40, y + 500, idx(), {
    color: 'yellow', size: 'm',
    segments: [{ type: 'free', path: b64Vecs.encodePoints([{ x: 0, y: 0, z: 0.5 }, { x: 600, y: 10, z: 0.5 }]) }],
    isComplete: true, isPen: false, scale: 1, scaleX: 1, scaleY: 1,
  }))
  out.push(base('pdf-arrow', 'arrow', x + 1000, y + 300, idx(), {
    kind: 'arc', labelColor: 'black', color: 'red', fill: 'none', dash: 'solid', size: 'm',
    arrowheadStart: 'none', arrowheadEnd: 'arrow', font: 'draw',
    start: { x: 0, y: 0 }, end: { x: 500, y: 200 }, bend: 60,
    richText: richText(EXTRA.arrow), labelPosition: 0.5, scale: 1, elbowMidPoint: 0.5,
  }))
  out.push(base('pdf-line', 'line', x + 1000, y + 650, idx(), {
    color: 'green', dash: 'dashed', size: 'l', spline: 'line', scale: 1,
    points: { a1: { id: 'a1', index: 'a1', x: 0, y: 0 }, a2: { id: 'a2', index: 'a2', x: 300, y: 100 }, a3: { id: 'a3', index: 'a3', x: 600, y: 0 } },
  }))
  out.push(geoShape({ id: 'pdf-geo-rect', x: x + 1700, y, index: idx(), isLocked: false, meta: {}, w: 500, h: 300, geo: 'rectangle', color: 'blue', fill: 'solid', size: 'm', text: EXTRA.geoLabel }))
  GEOS.forEach((geo, i) => {
    out.push(geoShape({ id: `pdf-geo-${geo}`, x: x + 1700 + (i % 5) * 260, y: y + 350 + Math.floor(i / 5) * 260, index: idx(), isLocked: false, meta: {}, w: 220, h: 200, geo, color: i % 2 ? 'orange' : 'light-green', fill: i % 3 === 0 ? 'none' : 'solid', size: 's' }))
  })
  out.push(base('pdf-image-none', 'image', x + 3100, y, idx(), { w: 400, h: 300, playing: true, url: '', assetId: null, crop: null, flipX: false, flipY: false, altText: '' }))
  out.push(base('pdf-image-png', 'image', x + 3100, y + 400, idx(), { w: 300, h: 300, playing: true, url: '', assetId: EXTRA.imageAsset, crop: null, flipX: false, flipY: false, altText: 'red' }))
  out.push({
    id: EXTRA.imageAsset, typeName: 'asset', type: 'image', meta: {},
    props: { name: 'red.png', src: pngDataUrl(), w: 2, h: 2, mimeType: 'image/png', isAnimated: false, fileSize: 75 },
  })
  out.push(base('pdf-bookmark', 'bookmark', x + 3100, y + 800, idx(), { w: 300, h: 320, assetId: null, url: 'https://example.com/arvo' }))
  const author = { authorId: 'c-long', authorName: 'Liisa Pitkänen', side: 'customer' as const }
  out.push(buildNote({ id: 'pdf-long-note', x: x + 3600, y, index: idx(), text: EXTRA.longNote, author }))
  out.push(buildNote({ id: 'pdf-long-word', x: x + 3600, y: y + 300, index: idx(), text: EXTRA.longWord, author }))
  return out
}

/** Odd and invalid records, as untrusted JSON could hold them: none may crash the renderer. */
export function oddRecords(): [string, unknown][] {
  const note = (id: string, patch: Record<string, unknown>) => [`shape:${id}`, { ...base(id, 'note', 100, 100, 'zzz', {}), ...patch }] as [string, unknown]
  return [
    ['odd:null', null],
    ['odd:string', 'not a record'],
    ['odd:array', [1, 2, 3]],
    note('odd-nan', { x: Number.NaN }),
    note('odd-noprops', { props: null }),
    note('odd-garbage-text', { props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 42 }] }, null, 'x'] }, scale: -3, growY: 'big' } }),
    ['shape:odd-geo', { ...base('odd-geo', 'geo', 0, 0, 'zzz', { w: -10, h: Number.POSITIVE_INFINITY, geo: 'nonsense', color: 'no-such-colour' }) }],
    ['shape:odd-cycle-a', { ...base('odd-cycle-a', 'geo', 0, 0, 'zzz', { w: 10, h: 10 }), parentId: 'shape:odd-cycle-b' }],
    ['shape:odd-cycle-b', { ...base('odd-cycle-b', 'geo', 0, 0, 'zzz', { w: 10, h: 10 }), parentId: 'shape:odd-cycle-a' }],
    ['shape:odd-draw', base('odd-draw', 'draw', 0, 0, 'zzz', { segments: [{ type: 'free', path: '!!!not base64' }, null, { points: 'nope' }] })],
    ['shape:odd-arrow', base('odd-arrow', 'arrow', 0, 0, 'zzz', { start: { x: 'a' }, end: null })],
    ['shape:odd-line', base('odd-line', 'line', 0, 0, 'zzz', { points: { a: null, b: { x: 1 } } })],
    ['shape:odd-custom', base('odd-custom', 'my-widget', 50, 50, 'zzz', { w: 100, h: 80 })],
    ['shape:odd-text', base('odd-text', 'text', 0, 0, 'zzz', { richText: 'plain string', w: 'wide' })],
    ['shape:odd-meta', { ...base('odd-meta', 'note', 0, 0, 'zzz', { richText: richText('meta is odd') }), meta: { arvo: { kind: 'note', side: 'alien' } } }],
    ['shape:odd-image', base('odd-image', 'image', 0, 0, 'zzz', { w: 100, h: 100, assetId: 'asset:missing' })],
    ['shape:odd-image-broken', base('odd-image-broken', 'image', 0, 0, 'zzz', { w: 100, h: 100, assetId: 'asset:odd-broken' })],
    ['asset:odd-broken', { id: 'asset:odd-broken', typeName: 'asset', type: 'image', meta: {}, props: { src: BROKEN_PNG_DATA_URL } }],
    ['asset:odd-jpeg', { id: 'asset:odd-jpeg', typeName: 'asset', type: 'image', meta: {}, props: { src: 'data:image/jpeg;base64,/9j/AAAA' } }],
    ['shape:odd-image-jpeg', base('odd-image-jpeg', 'image', 0, 0, 'zzz', { w: 100, h: 100, assetId: 'asset:odd-jpeg' })],
  ]
}

/**
 * The seeded board with the other shapes below it and the odd records mixed in, as one Yjs
 * update (what storage holds).
 */
export function boardWithExtras(seedUpdate: Uint8Array, opts: { odd?: boolean } = {}): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, seedUpdate)
  const records = doc.getMap<unknown>(DocLayout.records)
  let maxY = 0
  for (const r of records.values()) {
    const o = r as { y?: unknown; props?: { h?: unknown } }
    if (typeof o?.y === 'number') maxY = Math.max(maxY, o.y + (typeof o.props?.h === 'number' ? o.props.h : 200))
  }
  doc.transact(() => {
    for (const r of otherShapes(0, maxY + 400)) records.set((r as { id: string }).id, r)
    if (opts.odd) for (const [k, v] of oddRecords()) records.set(k, v)
  })
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

/** A deterministic big board's export input (the bench's and a test's): see `bigBoardDoc`. */
export function bigBoardInput(notes = 500, language: ExportInput['language'] = 'en'): ExportInput {
  const doc = bigBoardDoc(notes, { language, title: `Benchmark board — ${notes} notes` })
  const input = exportInputFromDoc(doc, { boardId: 'bench', language, generatedAt: '2026-11-20T12:00:00.000Z' })
  doc.destroy()
  return input
}

