import { afterEach, describe, expect, it, vi } from 'vitest'
import { cameraKey, cameraMemory, chooseInitialView, currentTemplate, navigatorItems, parseCamera } from './view.ts'

/** A Map-backed stand-in for localStorage that counts writes. */
function memoryStorage() {
  const data = new Map<string, string>()
  let writes = 0
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => {
      writes++
      data.set(k, v)
    },
    get writes() {
      return writes
    },
    data,
  }
}

describe('camera memory (FIT-2)', () => {
  afterEach(() => vi.useRealTimers())

  it('FIT-2 keeps the camera per board and reads it back', () => {
    vi.useFakeTimers()
    const storage = memoryStorage()
    const a = cameraMemory(storage, 'BoardA', 400)
    const b = cameraMemory(storage, 'BoardB', 400)
    a.save({ x: -120.5, y: 40, z: 0.75 })
    b.save({ x: 3, y: 4, z: 1 })
    vi.advanceTimersByTime(400)
    expect(storage.data.get('arvo.camera.BoardA')).toBe('{"x":-120.5,"y":40,"z":0.75}')
    expect(cameraMemory(storage, 'BoardA').read()).toEqual({ x: -120.5, y: 40, z: 0.75 })
    expect(cameraMemory(storage, 'BoardB').read()).toEqual({ x: 3, y: 4, z: 1 })
    expect(cameraMemory(storage, 'BoardC').read()).toBeNull()
    expect(cameraKey('BoardA')).toBe('arvo.camera.BoardA')
  })

  it('FIT-2 writes at most once per delay (the last camera wins); flush writes at once', () => {
    vi.useFakeTimers()
    const storage = memoryStorage()
    const m = cameraMemory(storage, 'B', 400)
    for (let i = 0; i < 60; i++) m.save({ x: i, y: 0, z: 1 })
    expect(storage.writes).toBe(0)
    vi.advanceTimersByTime(399)
    expect(storage.writes).toBe(0)
    vi.advanceTimersByTime(1)
    expect(storage.writes).toBe(1)
    expect(m.read()).toEqual({ x: 59, y: 0, z: 1 })
    m.save({ x: 100, y: 0, z: 1 })
    m.flush()
    expect(storage.writes).toBe(2)
    expect(m.read()?.x).toBe(100)
    vi.advanceTimersByTime(1000)
    expect(storage.writes).toBe(2)
  })

  it('FIT-2 ignores stored values that are not a camera', () => {
    for (const raw of [null, '', 'nope', '[]', '{"x":1,"y":2}', '{"x":"1","y":2,"z":1}', '{"x":1,"y":2,"z":0}', '{"x":1,"y":2,"z":99}', '{"x":1e999,"y":2,"z":1}']) {
      expect(parseCamera(raw)).toBeNull()
    }
    expect(parseCamera('{"x":1,"y":2,"z":0.3,"extra":true}')).toEqual({ x: 1, y: 2, z: 0.3 })
  })
})

describe('initial view (FIT-2)', () => {
  const viewport = { w: 1440, h: 900 }
  const content = { x: 0, y: 0, w: 12000, h: 2000 }
  const templates = [{ instance: 'pyramid-1' }, { instance: 'roleMap-1' }]

  it('FIT-2 first visit: the first template', () => {
    expect(chooseInitialView(null, templates, content, viewport)).toEqual({ kind: 'template', instance: 'pyramid-1' })
  })

  it('FIT-2 returning: where this browser was, if that still shows some of the board', () => {
    // Camera x = -3000 at zoom 0.5: the view starts at page x 3000 and is 2880 wide.
    const saved = { x: -3000, y: 0, z: 0.5 }
    expect(chooseInitialView(saved, templates, content, viewport)).toEqual({ kind: 'saved', camera: saved })
    // Far right of everything: the first template instead.
    const lost = { x: -20000, y: 0, z: 0.5 }
    expect(chooseInitialView(lost, templates, content, viewport)).toEqual({ kind: 'template', instance: 'pyramid-1' })
  })

  it('FIT-2 a saved view onto a gap of the board (its template deleted meanwhile) opens on the first template', () => {
    // Three templates once stood side by side; the middle one is gone. The saved view was on it.
    const things = [
      { x: 0, y: 0, w: 3000, h: 2000 },
      { x: 9000, y: 0, w: 3000, h: 2000 },
    ]
    const onTheGap = { x: -4500, y: 0, z: 0.5 } // shows page x 4500..7380
    expect(chooseInitialView(onTheGap, templates, content, viewport, things)).toEqual({ kind: 'template', instance: 'pyramid-1' })
    const onOne = { x: -1000, y: 0, z: 0.5 }
    expect(chooseInitialView(onOne, templates, content, viewport, things)).toEqual({ kind: 'saved', camera: onOne })
  })

  it('FIT-2 without templates: the content, else nothing (a saved view is kept)', () => {
    expect(chooseInitialView(null, [], { x: 0, y: 0, w: 400, h: 200 }, viewport)).toEqual({ kind: 'content' })
    expect(chooseInitialView(null, [], null, viewport)).toEqual({ kind: 'none' })
    expect(chooseInitialView({ x: 5, y: 5, z: 1 }, [], null, viewport)).toEqual({ kind: 'saved', camera: { x: 5, y: 5, z: 1 } })
  })
})

describe('template navigator (NAV-1)', () => {
  const box = (x: number, y = 0) => ({ x, y, w: 1000, h: 800 })

  it('NAV-1 lists templates left to right, named in the UI language, numbering a kind that occurs twice', () => {
    const items = navigatorItems(
      [
        { template: 'roleMap', instance: 'roleMap-2', bounds: box(9000) },
        { template: 'pyramid', instance: 'pyramid-1', bounds: box(0) },
        { template: 'roleMap', instance: 'roleMap-1', bounds: box(3000) },
        { template: 'staircase', instance: 'staircase-1', bounds: box(6000) },
      ],
      'fi',
    )
    expect(items.map((i) => i.instance)).toEqual(['pyramid-1', 'roleMap-1', 'staircase-1', 'roleMap-2'])
    expect(items.map((i) => i.label)).toEqual(['Arvopyramidi', 'Roolikartta 1', 'Arvon portaat', 'Roolikartta 2'])
    expect(items.map((i) => i.fullName)).toEqual(['Asiakasarvopyramidi', 'Roolikartta 1', 'Asiakasarvon portaat', 'Roolikartta 2'])
    expect(navigatorItems([{ template: 'actionPlan', instance: 'actionPlan-1', bounds: box(0) }], 'ru')[0]!.label).toBe('План действий')
  })

  it('NAV-1 numbers by board order, not by instance id', () => {
    const items = navigatorItems(
      [
        { template: 'pyramid', instance: 'pyramid-1', bounds: box(5000) },
        { template: 'pyramid', instance: 'pyramid-2', bounds: box(0) },
      ],
      'en',
    )
    expect(items.map((i) => `${i.instance}=${i.label}`)).toEqual(['pyramid-2=Value pyramid 1', 'pyramid-1=Value pyramid 2'])
  })

  it('NAV-1 the current template is the one covering most of the view', () => {
    const items = [
      { instance: 'a', bounds: box(0) },
      { instance: 'b', bounds: box(1200) },
    ]
    expect(currentTemplate(items, { x: 700, y: 0, w: 1000, h: 500 })).toBe('b') // 300 of a, 500 of b
    expect(currentTemplate(items, { x: 100, y: 0, w: 1000, h: 500 })).toBe('a')
    expect(currentTemplate(items, { x: 5000, y: 0, w: 1000, h: 500 })).toBeNull()
  })
})
