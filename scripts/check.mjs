// `npm run check`: typecheck the whole project (TypeScript 7 native compiler).
import { spawnSync } from 'node:child_process'

const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json'], { stdio: 'inherit' })
if (r.status === 0) console.log('check: typecheck clean')
process.exit(r.status ?? 1)
