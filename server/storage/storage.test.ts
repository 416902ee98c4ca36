import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { storageContract } from './contract.ts'
import { MemoryStorage } from './memory.ts'
import { PostgresStorage } from './postgres.ts'
import { SqliteStorage } from './sqlite.ts'

const root = mkdtempSync(join(tmpdir(), 'arvo-storage-'))
/** The machine's PostgreSQL (trust auth, database `test`); TEST_DATABASE_URL overrides. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const schemas: string[] = []
afterAll(async () => {
  rmSync(root, { recursive: true, force: true })
  for (const s of schemas) await PostgresStorage.dropSchema(TEST_DATABASE_URL, s)
})

storageContract('memory', async () => new MemoryStorage(), { durableAcrossReopen: false })
storageContract('sqlite', async (key) => new SqliteStorage(join(root, key)), { durableAcrossReopen: true })
storageContract(
  'postgres',
  async (key) => {
    const schema = `arvo_test_${key.toLowerCase().replace(/[^a-z0-9_]/g, '')}`
    if (!schemas.includes(schema)) schemas.push(schema)
    return new PostgresStorage(TEST_DATABASE_URL, { schema })
  },
  { durableAcrossReopen: true, sharedAcrossInstances: true },
)
