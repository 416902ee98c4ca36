import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { storageContract } from './contract.ts'
import { MemoryStorage } from './memory.ts'
import { SqliteStorage } from './sqlite.ts'

const root = mkdtempSync(join(tmpdir(), 'arvo-storage-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

storageContract('memory', async () => new MemoryStorage(), { durableAcrossReopen: false })
storageContract('sqlite', async (key) => new SqliteStorage(join(root, key)), { durableAcrossReopen: true })
