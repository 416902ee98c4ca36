/**
 * Shared part of the server launchers: each server under test runs in its own process,
 * prints `PORT=<n>` on stdout once listening, and answers the orchestrator's IPC requests
 * for memory (optionally after a forced GC; start with --expose-gc) and event-loop delay
 * (a stall is the event loop blocked: every socket of the process waits).
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { LauncherCommand, LauncherMessage, LoopInfo, MemInfo } from '../ipc.ts'

export interface Launched {
  port: number
  close(): Promise<void>
}

/** Starts the server with `start`, then serves the orchestrator until it disconnects. */
export async function launch(name: string, start: () => Promise<Launched>): Promise<void> {
  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()
  let server: Launched
  try {
    server = await start()
  } catch (e) {
    process.stderr.write(`${name}: failed to start: ${(e as Error).stack ?? String(e)}\n`)
    process.exit(1)
  }
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(0),
    )
    setTimeout(() => process.exit(0), 2000).unref()
  }
  process.on('disconnect', stop)
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  let session: Session | null = null
  process.on('message', async (m: LauncherCommand) => {
    let result: MemInfo | LoopInfo | null = null
    if (m.cmd === 'profile-start') {
      session = new Session()
      session.connect()
      await session.post('Profiler.enable')
      await session.post('Profiler.setSamplingInterval', { interval: 250 })
      await session.post('Profiler.start')
    } else if (m.cmd === 'profile-stop') {
      if (session) {
        const { profile } = await session.post('Profiler.stop')
        writeFileSync(m.path, JSON.stringify(profile))
        session.disconnect()
        session = null
      }
    } else if (m.cmd === 'mem') {
      if (m.gc) {
        const gc = (globalThis as { gc?: () => void }).gc
        // Two passes: the first may only queue finalizers (e.g. of ArrayBuffers).
        gc?.()
        gc?.()
      }
      const u = process.memoryUsage()
      result = { rss: u.rss, heapUsed: u.heapUsed, external: u.external, arrayBuffers: u.arrayBuffers }
    } else if (m.cmd === 'loop-reset') {
      loop.reset()
    } else if (m.cmd === 'loop') {
      result = { p50Ms: loop.percentile(50) / 1e6, p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 }
    }
    process.send?.({ type: 'reply', id: m.id, result } satisfies LauncherMessage)
  })
  process.stdout.write(`PORT=${server.port}\n`)
  process.send?.({ type: 'ready', port: server.port } satisfies LauncherMessage)
}
