import { execFileSync } from 'node:child_process'

/** Builds the client if its sources changed, so e2e always runs against the current code. */
export default function globalSetup(): void {
  execFileSync(process.execPath, ['scripts/ensure-build.mjs'], { stdio: 'inherit' })
}
