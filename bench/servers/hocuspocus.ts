/**
 * Launches the reference: Hocuspocus 3 (@hocuspocus/server 3.4.4) with its defaults and
 * no extensions (documents in memory, unloaded when their last connection leaves).
 *
 * Two-process mode: with BENCH_REDIS_URL set, the Redis extension (@hocuspocus/extension-redis
 * 3.4.4, its defaults) links this process to the others of the run; BENCH_REDIS_PREFIX keeps
 * the run's channels apart from anything else on that Redis. Still no persistence: the
 * extension needs Redis only.
 */
import { Redis } from '@hocuspocus/extension-redis'
import { Server } from '@hocuspocus/server'
import { launch } from './launcher.ts'

const redisUrl = process.env.BENCH_REDIS_URL

await launch('hocuspocus', async () => {
  const extensions = []
  if (redisUrl) {
    const u = new URL(redisUrl)
    extensions.push(
      new Redis({
        host: u.hostname,
        port: Number(u.port || 6379),
        prefix: process.env.BENCH_REDIS_PREFIX || 'hocuspocus',
      }),
    )
  }
  const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false, extensions })
  await server.listen()
  return { port: server.address.port, close: () => server.destroy() }
})
