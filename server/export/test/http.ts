/** HTTP helpers of the export tests: a response read whole, and the number of stored boards. */
import Database from 'better-sqlite3'
import { join } from 'node:path'

export interface Got {
  status: number
  headers: Headers
  bytes: Buffer
  text: string
  json: () => Record<string, unknown>
}

/** Reads a fetch response whole (bytes, text, JSON on demand). */
export async function got(res: Response): Promise<Got> {
  const bytes = Buffer.from(await res.arrayBuffer())
  const text = bytes.toString('utf8')
  return { status: res.status, headers: res.headers, bytes, text, json: () => JSON.parse(text) as Record<string, unknown> }
}

/** How many boards the SQLite database in `dataDir` holds (read-only). */
export function boardCount(dataDir: string): number {
  const db = new Database(join(dataDir, 'arvo.sqlite'), { readonly: true })
  try {
    return (db.prepare('SELECT count(*) AS n FROM boards').get() as { n: number }).n
  } finally {
    db.close()
  }
}
