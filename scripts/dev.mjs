// Development: the API/sync server on 8081 (restarts on change) and Vite with HMR on 5173 proxying to it.
import { spawn } from 'node:child_process'

const env = { ...process.env, PORT: process.env.ARVO_DEV_SERVER_PORT ?? '8081' }
const procs = [
  spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'watch', 'server/main.ts'], { stdio: 'inherit', env }),
  spawn(process.execPath, ['node_modules/vite/bin/vite.js'], { stdio: 'inherit', env: process.env }),
]
const stop = () => {
  for (const p of procs) p.kill('SIGTERM')
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const p of procs) p.on('exit', (code) => { stop(); process.exitCode = code ?? 0 })
