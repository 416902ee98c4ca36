// The whole test suite, as README and CI run it: check (typecheck) -> vitest (unit +
// integration) -> Playwright (e2e in Debian's Chromium). Ends with one line of totals
// across all suites: `N passed, N failed`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'

mkdirSync('.tmp', { recursive: true })
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env: process.env }).status ?? 1
const node = process.execPath
let passed = 0
let failed = 0
let crashed = []

// e2e needs a Chromium: Debian's, installed on demand when we are root (as on CI and dev machines here).
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (!existsSync(chromium)) {
  if (process.getuid?.() === 0) {
    console.log(`== ${chromium} missing: installing Debian's chromium (apt-get)`)
    run('apt-get', ['update', '-q'])
    run('apt-get', ['install', '-y', '-q', 'chromium'])
  }
  if (!existsSync(chromium)) {
    console.error(`No Chromium at ${chromium}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`)
  }
}

console.log('\n== check (typecheck) ==')
if (run(node, ['scripts/check.mjs']) !== 0) crashed.push('check')

console.log('\n== vitest: unit and integration ==')
rmSync('.tmp/vitest.json', { force: true })
const vitestStatus = run(node, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', '--outputFile=.tmp/vitest.json'])
if (existsSync('.tmp/vitest.json')) {
  const v = JSON.parse(readFileSync('.tmp/vitest.json', 'utf8'))
  passed += v.numPassedTests
  failed += v.numFailedTests
  if (vitestStatus !== 0 && v.numFailedTests === 0) crashed.push('vitest')
} else crashed.push('vitest')

console.log('\n== playwright: end-to-end in Chromium ==')
rmSync('.tmp/playwright-results.json', { force: true })
const pwStatus = run(node, ['node_modules/@playwright/test/cli.js', 'test'])
if (existsSync('.tmp/playwright-results.json')) {
  const s = JSON.parse(readFileSync('.tmp/playwright-results.json', 'utf8')).stats
  passed += s.expected + (s.flaky ?? 0)
  failed += s.unexpected
  if (pwStatus !== 0 && s.unexpected === 0) crashed.push('playwright')
} else crashed.push('playwright')

if (crashed.length > 0) {
  console.log(`\nsuites that failed to run or check: ${crashed.join(', ')}`)
  failed += crashed.length
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
