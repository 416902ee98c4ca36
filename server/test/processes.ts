import { spawn, type ChildProcess } from 'node:child_process'
import { createConnection, createServer, type Server, type Socket } from 'node:net'

/** The real server (`server/main.ts`) as a child process; resolves once it listens. */
export async function spawnServer(env: Record<string, string>): Promise<{ port: number; proc: ChildProcess; log: () => string; kill(signal?: NodeJS.Signals): Promise<void> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${log}`)), 15_000)
    proc.stdout!.on('data', (d: Buffer) => {
      log += d.toString()
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(log)
      if (m) {
        clearTimeout(timer)
        resolve(Number(m[1]))
      }
    })
    proc.stderr!.on('data', (d: Buffer) => (log += d.toString()))
    proc.once('exit', (code) => reject(new Error(`server exited ${code}: ${log}`)))
  })
  return {
    port,
    proc,
    log: () => log,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (proc.exitCode !== null || proc.signalCode !== null) return
      const exited = new Promise((r) => proc.once('exit', r))
      proc.kill(signal)
      await exited
    },
  }
}

/**
 * A minimal TCP load balancer for tests: round-robin over upstream ports, no sticky
 * sessions; an upstream that refuses the connection is skipped.
 */
export async function startTcpBalancer(
  upstreams: number[],
): Promise<{ port: number; close(): Promise<void>; live(upstream: number): number }> {
  let next = 0
  const sockets = new Set<Socket>()
  const liveTo = new Map<number, number>()
  const server: Server = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.pause()
    const tryUpstream = (attempt: number) => {
      if (attempt >= upstreams.length) {
        client.destroy()
        return
      }
      const port = upstreams[next++ % upstreams.length]
      const up = createConnection({ host: '127.0.0.1', port })
      up.once('connect', () => {
        sockets.add(up)
        liveTo.set(port, (liveTo.get(port) ?? 0) + 1)
        up.on('close', () => {
          sockets.delete(up)
          liveTo.set(port, (liveTo.get(port) ?? 0) - 1)
        })
        client.pipe(up).pipe(client)
        client.resume()
        up.on('error', () => client.destroy())
        client.on('error', () => up.destroy())
      })
      up.once('error', () => tryUpstream(attempt + 1))
    }
    tryUpstream(0)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address()
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    /** Open connections to one upstream now. */
    live: (upstream) => liveTo.get(upstream) ?? 0,
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise((r) => server.close(r))
    },
  }
}
