/**
 * Summarises a V8 .cpuprofile (written by `node --cpu-prof`) into the functions with the
 * most self time and the most inclusive time, for `npm run bench -- --profile`.
 */
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

function frameName(n: ProfileNode, root: string): string {
  const { functionName, url, lineNumber } = n.callFrame
  const file = url ? relative(root, url.replace(/^file:\/\//, '')) : ''
  return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`
}

/** Top `limit` functions by self and by inclusive time, as text lines (ms and % of samples). */
export function summariseProfile(path: string, root: string, limit = 25): string {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map<string, number>()
  const inclusive = new Map<string, number>()
  let total = 0
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i] ?? 0) / 1000
    const node = byId.get(p.samples[i])
    if (!node) continue
    total += dt
    const name = frameName(node, root)
    self.set(name, (self.get(name) ?? 0) + dt)
    const seen = new Set<string>()
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id)
      if (!n) break
      const fn = frameName(n, root)
      if (seen.has(fn)) continue
      seen.add(fn)
      inclusive.set(fn, (inclusive.get(fn) ?? 0) + dt)
    }
  }
  const idle = (self.get('(idle)') ?? 0) + (self.get('(program)') ?? 0)
  const busy = total - (self.get('(idle)') ?? 0)
  const top = (m: Map<string, number>) =>
    [...m]
      .filter(([k]) => k !== '(idle)' && k !== '(root)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([k, v]) => `  ${v.toFixed(0).padStart(7)} ms ${((v / Math.max(1, busy)) * 100).toFixed(1).padStart(5)}%  ${k}`)
  return [
    `profile ${relative(root, path)}: ${total.toFixed(0)} ms sampled, ${busy.toFixed(0)} ms not idle (${idle.toFixed(0)} ms idle+program)`,
    'self time (% of non-idle):',
    ...top(self),
    'inclusive time (% of non-idle):',
    ...top(inclusive),
  ].join('\n')
}
