// `npm run check`: typecheck the whole project (TypeScript 7 native compiler), then refuse
// circular imports between our own modules (client/, server/, shared/, bench/).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

let failed = false
const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json'], { stdio: 'inherit' })
if (r.status === 0) console.log('check: typecheck clean')
else failed = true

function files(dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e)
    if (e === 'node_modules' || e.startsWith('.')) return []
    if (statSync(p).isDirectory()) return files(p)
    return /\.(ts|tsx|mjs)$/.test(e) && !/\.test\.tsx?$/.test(e) ? [p] : []
  })
}
const all = ['client', 'server', 'shared', 'bench'].flatMap(files).map((f) => resolve(f))
const known = new Set(all)
const graph = new Map()
const importRe = /^\s*(?:import|export)\s(?!type\b)[^'"]*?from\s+['"](\.[^'"]+)['"]|^\s*import\s+['"](\.[^'"]+)['"]/gm
for (const f of all) {
  const src = readFileSync(f, 'utf8')
  const deps = []
  for (const m of src.matchAll(importRe)) {
    const spec = m[1] ?? m[2]
    const base = resolve(dirname(f), spec)
    const target = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((c) => known.has(c))
    if (target) deps.push(target)
  }
  graph.set(f, deps)
}
const state = new Map()
const stack = []
const cycles = []
function visit(f) {
  state.set(f, 1)
  stack.push(f)
  for (const d of graph.get(f) ?? []) {
    if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d])
    else if (!state.has(d)) visit(d)
  }
  stack.pop()
  state.set(f, 2)
}
for (const f of all) if (!state.has(f)) visit(f)
if (cycles.length > 0) {
  failed = true
  console.error(`check: ${cycles.length} circular import(s):`)
  for (const c of cycles) console.error('  ' + c.map((p) => relative(process.cwd(), p)).join(' -> '))
} else console.log(`check: no circular imports among ${all.length} modules`)
process.exit(failed ? 1 : 0)
