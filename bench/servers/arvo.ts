/**
 * Launches OUR server (server/app.ts) for the benchmark: 127.0.0.1, port 0, a fresh temp
 * DATA_DIR (removed on exit), DURABILITY=full unless BENCH_DURABILITY says otherwise,
 * LOG_LEVEL=warn. Extra server variables (e.g. AWARENESS_BATCH_MS) come as a JSON object
 * in BENCH_ARVO_ENV. Boards are created by the orchestrator through POST /api/boards.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { launch } from './launcher.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'arvo-bench-'))
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }))

const extra = JSON.parse(process.env.BENCH_ARVO_ENV || '{}') as Record<string, string>

await launch('arvo', async () => {
  const server = await startServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DURABILITY: process.env.BENCH_DURABILITY || 'full',
      LOG_LEVEL: 'warn',
      ...extra,
    }),
  )
  return { port: server.port, close: () => server.close() }
})
