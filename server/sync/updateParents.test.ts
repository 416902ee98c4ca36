import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { updateParents, updateParentsByYjs } from './updateParents.ts'

/** Runs `edit` on a doc that already holds `base`'s state; returns the update `edit` made. */
function updateOf(edit: (doc: Y.Doc) => void, base?: Y.Doc): Uint8Array {
  const doc = new Y.Doc()
  if (base) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base))
  const sv = Y.encodeStateVector(doc)
  edit(doc)
  return Y.encodeStateAsUpdate(doc, sv)
}

/** Updates of every kind of content Yjs encodes, each with what it writes into. */
function samples(): { name: string; update: Uint8Array; roots: string[] }[] {
  const base = new Y.Doc()
  base.getMap('records').set('a', { x: 1 })
  base.getArray('list').insert(0, [1, 2, 3])
  base.getText('text').insert(0, 'hello')
  const nested = new Y.Map<unknown>()
  base.getMap('records').set('nested', nested)
  nested.set('inner', 'v')
  return [
    {
      name: 'map with every kind of value',
      roots: ['records', 'meta'],
      update: updateOf((d) => {
        d.getMap('records').set('note', { id: 'shape:x', n: -42, big: 2n ** 40n, f: 1.5, f32: 0.5, t: true, no: false, nil: null, u: undefined, arr: [1, 'two', { three: [3] }], bin: new Uint8Array([1, 2, 3]), s: 'äö я 😀' })
        d.getMap('meta').set('schema', { schemaVersion: 2, sequences: {} })
      }),
    },
    {
      name: 'text with formats and embeds',
      roots: ['text2'],
      update: updateOf((d) => {
        const t = d.getText('text2')
        t.insert(0, 'bold 😀 and plain', { bold: true })
        t.insertEmbed(3, { image: 'x.png' })
        t.format(0, 2, { italic: true })
      }),
    },
    {
      name: 'xml elements, hooks and text',
      roots: ['xml'],
      update: updateOf((d) => {
        const f = d.getXmlFragment('xml')
        const el = new Y.XmlElement('p')
        el.setAttribute('class', 'c')
        el.insert(0, [new Y.XmlText('inside')])
        f.insert(0, [el, new Y.XmlHook('hook') as unknown as Y.XmlElement])
      }),
    },
    {
      name: 'nested types and binary and a sub-document',
      roots: ['records'],
      update: updateOf((d) => {
        const m = new Y.Map<unknown>()
        d.getMap('records').set('m', m)
        m.set('arr', Y.Array.from([1, 2]))
        m.set('bin', new Uint8Array([9, 9]))
        m.set('doc', new Y.Doc())
      }),
    },
    { name: 'insert into an existing array (origin outside the update)', roots: [], update: updateOf((d) => d.getArray('list').insert(2, ['x']), base) },
    { name: 'insert into existing text (both origins outside)', roots: [], update: updateOf((d) => d.getText('text').insert(2, 'yy'), base) },
    { name: 'a key of an existing nested map (parent id outside)', roots: [], update: updateOf((d) => ((d.getMap('records').get('nested') as Y.Map<unknown>).set('k', 1)), base) },
    { name: 'overwrite (origin: the old value) and delete', roots: [], update: updateOf((d) => (d.getMap('records').set('a', { x: 2 }), d.getMap('records').delete('nested')), base) },
    { name: 'empty update', roots: [], update: new Uint8Array([0, 0]) },
    { name: 'merged updates of several clients', roots: ['records', 'list', 'text'], update: Y.encodeStateAsUpdate(base) },
  ]
}

describe('updateParents (the pre-apply reader of SRV-4)', () => {
  it('SRV-4 names the root of every item written by name, as Yjs decodes it', () => {
    for (const s of samples()) {
      const fast = updateParents(s.update, true)
      const yjs = updateParentsByYjs(s.update, true)
      expect([...fast.roots].sort(), s.name).toEqual([...yjs.roots].sort())
      expect([...fast.roots].sort(), s.name).toEqual([...new Set(s.roots)].sort())
      expect(fast.refs, s.name).toEqual(yjs.refs)
    }
  })

  it('SRV-4 lists every item an update hangs off, also inside clocks the update covers (a Skip covers clocks and adds nothing)', () => {
    const base = new Y.Doc()
    base.getArray('junk').insert(0, ['a', 'b'])
    const baseClient = base.clientID
    const u = updateOf((d) => {
      d.getArray('junk').insert(1, ['between']) // origin and right origin in base
      d.getArray('junk').insert(2, ['after']) // origin: the item just inserted (inside the update)
    }, base)
    const { roots, refs } = updateParents(u, true)
    expect(roots.size).toBe(0)
    expect(refs.length).toBeGreaterThan(0)
    expect(refs.every((r) => r.client === baseClient)).toBe(true)
    expect(updateParentsByYjs(u, true).refs).toEqual(refs)
    expect(updateParents(u).refs).toEqual([]) // not collected unless asked
    // An item between two of the update's own items: its origins lie inside the update's clocks
    // and are listed too (the room resolves them only where the doc already has them).
    const own = new Y.Doc()
    const v = updateOf((d) => {
      d.getText('t').insert(0, 'ab')
      d.getText('t').insert(1, 'Z')
    })
    Y.applyUpdate(own, v)
    const inner = updateParents(v, true).refs
    expect(inner.some((r) => r.clock === 0)).toBe(true)
    expect(inner.some((r) => r.clock === 1)).toBe(true)
  })

  it('SRV-4 agrees with Yjs on bit-flipped updates: same answer, or the reader throws (and Yjs is asked)', () => {
    const good = samples().map((s) => s.update).filter((u) => u.length > 2)
    let seed = 12345
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    let compared = 0
    for (let i = 0; i < 3000; i++) {
      const u = new Uint8Array(good[i % good.length])
      for (let f = 0; f < 1 + Math.floor(rnd() * 3); f++) u[Math.floor(rnd() * u.length)] ^= 1 << Math.floor(rnd() * 8)
      let yjs: ReturnType<typeof updateParentsByYjs> | null = null
      try {
        yjs = updateParentsByYjs(u)
      } catch {
        // Yjs cannot decode it either (or only its structs): the server refuses or Yjs throws
      }
      let fast: ReturnType<typeof updateParents> | null = null
      try {
        fast = updateParents(u)
      } catch {
        // the server then asks updateParentsByYjs
      }
      if (fast && yjs) {
        compared++
        expect([...fast.roots].sort()).toEqual([...yjs.roots].sort())
      }
    }
    expect(compared).toBeGreaterThan(100)
  })
})
