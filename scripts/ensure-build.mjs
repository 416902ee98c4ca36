// Builds the client (vite build) when dist/client is missing or older than its sources.
// `npm start` runs this first so that a fresh clone starts with one command.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const out = 'dist/client/index.html'
function newest(path) {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let m = 0
  for (const e of readdirSync(path)) {
    if (e === 'node_modules' || e.endsWith('.test.ts')) continue
    m = Math.max(m, newest(join(path, e)))
  }
  return m
}
const sources = ['client', 'shared', 'vite.config.ts', 'package-lock.json'].filter(existsSync)
const stale = !existsSync(out) || Math.max(...sources.map(newest)) > statSync(out).mtimeMs
if (stale) {
  console.log('[arvo] building the client (vite build)…')
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
