import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.ts'

describe('configuration (CFG-1)', () => {
  it('uses the embedded defaults when nothing is set', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', dataDir: './data', maxFrameBytes: 1048576, durability: 'full', databaseUrl: null, redisUrl: null, compression: true, secret: null })
  })

  it('reads RELAY_US_PER_CLIENT (default 60)', () => {
    expect(loadConfig({}).relayUsPerClient).toBe(60)
    expect(loadConfig({ RELAY_US_PER_CLIENT: '0' }).relayUsPerClient).toBe(0)
  })

  it('reads ARVO_SECRET', () => {
    expect(loadConfig({ ARVO_SECRET: 'a-long-enough-secret' }).secret).toBe('a-long-enough-secret')
  })

  it('reads ARVO_CREATE_TOKEN (default: none, anyone may create boards)', () => {
    expect(loadConfig({}).createToken).toBeNull()
    expect(loadConfig({ ARVO_CREATE_TOKEN: 'only-for-our-staff-0123' }).createToken).toBe('only-for-our-staff-0123')
  })

  it('reads the export limits EXPORT_WORKERS, EXPORT_QUEUE, EXPORT_TIMEOUT_MS, EXPORT_WORKER_HEAP_MB (EXP-8..10)', () => {
    expect(loadConfig({})).toMatchObject({ exportWorkers: 1, exportQueue: 2, exportTimeoutMs: 60_000, exportWorkerHeapMb: 2048 })
    expect(loadConfig({ EXPORT_WORKERS: '2', EXPORT_QUEUE: '0', EXPORT_TIMEOUT_MS: '5000', EXPORT_WORKER_HEAP_MB: '512' })).toMatchObject({
      exportWorkers: 2,
      exportQueue: 0,
      exportTimeoutMs: 5000,
      exportWorkerHeapMb: 512,
    })
  })

  it.each([
    [{ EXPORT_WORKERS: '0' }, /EXPORT_WORKERS=0 is out of range/],
    [{ EXPORT_QUEUE: 'many' }, /EXPORT_QUEUE="many" is not a whole number/],
    [{ EXPORT_TIMEOUT_MS: '10' }, /EXPORT_TIMEOUT_MS=10 is out of range/],
    [{ EXPORT_WORKER_HEAP_MB: '1' }, /EXPORT_WORKER_HEAP_MB=1 is out of range/],
    [{ PORT: '80a' }, /PORT="80a" is not a whole number/],
    [{ PORT: '70000' }, /PORT=70000 is out of range/],
    [{ MAX_FRAME_BYTES: '10' }, /MAX_FRAME_BYTES=10 is out of range/],
    [{ DURABILITY: 'sometimes' }, /DURABILITY="sometimes" is not one of: full, normal/],
    [{ DATA_DIR: ' ' }, /DATA_DIR is empty/],
    [{ HOST: 'my host' }, /HOST="my host" is not a host name/],
    [{ PUBLIC_URL: 'nope' }, /PUBLIC_URL="nope" is not a URL/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a PostgreSQL URL/],
    [{ REDIS_URL: 'redis://127.0.0.1:6379' }, /REDIS_URL needs DATABASE_URL/],
    [{ COMPRESSION: 'yes' }, /COMPRESSION="yes" is not one of: on, off/],
    [{ ARVO_SECRET: 'short' }, /ARVO_SECRET is too short/],
    [{ ARVO_CREATE_TOKEN: 'short' }, /ARVO_CREATE_TOKEN must be 16-256 printable characters/],
    [{ ARVO_CREATE_TOKEN: 'has a space in it, sadly' }, /ARVO_CREATE_TOKEN must be 16-256 printable characters without spaces/],
    [{ RELAY_US_PER_CLIENT: '5000' }, /RELAY_US_PER_CLIENT=5000 is out of range/],
  ])('refuses %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })
})
