/**
 * `npm run export -- <boardId> <out.pdf|out.csv|out.md|out.json> [--lang fi] [--paper letter]
 * [--data-dir DIR]` (rule EXP-7): exports a stored board with no server (and no browser)
 * running, from the storage the server's configuration names (DATA_DIR / DATABASE_URL, see
 * server/config.ts; `--data-dir` wins over DATA_DIR). The file is written to a temporary file in
 * the same directory and renamed, so a failed export never leaves a half-written file.
 * Exit codes: 0 written, 1 the export failed (unknown board, no database, render or write
 * error), 2 bad arguments or configuration.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { rename, unlink, writeFile } from 'node:fs/promises'
import { basename, dirname, extname, join, resolve } from 'node:path'
import { isLanguage, LANGUAGES, type Language } from '../../shared/i18n/index.ts'
import { isValidBoardId } from '../../shared/protocol.ts'
import { ConfigError, loadConfig } from '../config.ts'
import type { ExportFormat } from '../http/exports.ts'
import type { BoardStorage } from '../storage/types.ts'
import type { Paper } from './pdf/index.ts'

// The storage, the renderers and their fonts load only once the arguments are good (a usage
// error answers at once); the lists are those of http/exports.ts (the types keep them equal).
const EXPORT_FORMATS: readonly ExportFormat[] = ['pdf', 'csv', 'md', 'json']
const PAPERS: readonly Paper[] = ['a4', 'letter']

export const USAGE = `usage: npm run export -- <boardId> <out.pdf|out.csv|out.md|out.json> [--lang en|fi|et|ru] [--paper a4|letter] [--data-dir DIR] [--generated-at ISO-TIME]
  Exports a stored board (no server needs to run). Storage as the server's: DATABASE_URL, else
  SQLite in DATA_DIR (default ./data); --data-dir overrides DATA_DIR.`

/** Bad arguments (exit 2). */
export class UsageError extends Error {}
/** The export failed (exit 1). */
export class ExportFailed extends Error {}

export interface CliArgs {
  boardId: string
  /** Absolute output path. */
  out: string
  format: ExportFormat
  language: Language
  paper: Paper
  dataDir: string | null
  generatedAt: string | null
}

const OPTIONS = ['--lang', '--paper', '--data-dir', '--generated-at'] as const

/** Parses the command line (after `--`); paths are resolved against `cwd`. */
export function parseArgs(argv: readonly string[], cwd: string): CliArgs {
  const positional: string[] = []
  const opts: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      const name = eq < 0 ? a : a.slice(0, eq)
      if (!(OPTIONS as readonly string[]).includes(name)) throw new UsageError(`unknown option ${name}`)
      const value = eq < 0 ? argv[++i] : a.slice(eq + 1)
      if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${name} needs a value`)
      if (name in opts) throw new UsageError(`${name} is given twice`)
      opts[name] = value
    } else positional.push(a)
  }
  if (positional.length !== 2) throw new UsageError(`expected a board id and an output file, got ${positional.length} argument${positional.length === 1 ? '' : 's'}`)
  const [boardId, outArg] = positional as [string, string]
  if (!isValidBoardId(boardId)) throw new UsageError(`${JSON.stringify(boardId)} is not a board id (6-64 characters of A-Z a-z 0-9 _ -)`)
  const ext = extname(outArg).slice(1).toLowerCase()
  if (!(EXPORT_FORMATS as readonly string[]).includes(ext)) {
    throw new UsageError(`cannot tell the format from ${JSON.stringify(basename(outArg))}: the output file must end in ${EXPORT_FORMATS.map((f) => `.${f}`).join(', ')}`)
  }
  const language = opts['--lang'] ?? 'en'
  if (!isLanguage(language)) throw new UsageError(`--lang must be one of ${LANGUAGES.map((l) => l.code).join(', ')}`)
  const paper = opts['--paper'] ?? 'a4'
  if (!(PAPERS as readonly string[]).includes(paper)) throw new UsageError(`--paper must be one of ${PAPERS.join(', ')}`)
  const at = opts['--generated-at'] ?? null
  if (at !== null && (!/^\d{4}-\d{2}-\d{2}T/.test(at) || Number.isNaN(Date.parse(at)))) {
    throw new UsageError('--generated-at must be an ISO time, e.g. 2026-11-20T12:00:00Z')
  }
  return {
    boardId,
    out: resolve(cwd, outArg),
    format: ext as ExportFormat,
    language,
    paper: paper as Paper,
    dataDir: opts['--data-dir'] !== undefined ? resolve(cwd, opts['--data-dir']) : null,
    generatedAt: at === null ? null : new Date(at).toISOString(),
  }
}

/** The storage the server's configuration names (SQLite must already hold a database). */
async function openStorage(env: NodeJS.ProcessEnv, dataDir: string | null): Promise<BoardStorage> {
  let config
  try {
    config = loadConfig(dataDir === null ? env : { ...env, DATA_DIR: dataDir })
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(`configuration error: ${e.message}`)
    throw e
  }
  if (config.databaseUrl) {
    const { PostgresStorage } = await import('../storage/postgres.ts')
    return new PostgresStorage(config.databaseUrl)
  }
  const file = join(resolve(config.dataDir), 'arvo.sqlite')
  if (!existsSync(file)) throw new ExportFailed(`no Arvo database at ${file}: give the server's data directory with --data-dir (or DATA_DIR)`)
  const { SqliteStorage } = await import('../storage/sqlite.ts')
  return new SqliteStorage(config.dataDir, config.durability)
}

/** Writes `body` to `out` through a temporary file in the same directory (renamed when complete). */
export async function writeAtomically(out: string, body: Uint8Array): Promise<void> {
  const dir = dirname(out)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ExportFailed(`the output directory ${dir} does not exist`)
  if (existsSync(out) && statSync(out).isDirectory()) throw new ExportFailed(`${out} is a directory`)
  const tmp = join(dir, `.${basename(out)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFile(tmp, body, { flag: 'wx' })
    await rename(tmp, out)
  } catch (e) {
    await unlink(tmp).catch(() => {})
    throw new ExportFailed(`could not write ${out}: ${(e as Error).message}`)
  }
}

/** Runs one export; returns the line to print. */
export async function runExport(args: CliArgs, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const storage = await openStorage(env, args.dataDir)
  const [{ loadExportInput }, { renderExport }] = await Promise.all([import('./load.ts'), import('../http/exports.ts')])
  try {
    const generatedAt = args.generatedAt ?? new Date().toISOString()
    const input = await loadExportInput({ storage }, args.boardId, { language: args.language, generatedAt })
    if (!input) throw new ExportFailed(`board ${args.boardId} not found in ${storage.name}`)
    let body: Uint8Array
    try {
      body = await renderExport(input, args.format, args.paper)
    } catch (e) {
      throw new ExportFailed(`the ${args.format.toUpperCase()} export could not be made: ${(e as Error).message}`)
    }
    await writeAtomically(args.out, body)
    return `wrote ${args.out} (${args.format}, ${body.length} bytes, ${input.summary.notes.length} notes)`
  } finally {
    await storage.close()
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  // npm runs scripts in the package root: paths typed by the user are relative to where they typed them
  const cwd = process.env.INIT_CWD ?? process.cwd()
  try {
    process.stdout.write(`${await runExport(parseArgs(argv, cwd))}\n`)
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`arvo export: ${e.message}\n${USAGE}\n`)
      process.exitCode = 2
    } else if (e instanceof ExportFailed) {
      process.stderr.write(`arvo export: ${e.message}\n`)
      process.exitCode = 1
    } else {
      process.stderr.write(`arvo export: unexpected error: ${(e as Error).stack ?? String(e)}\n`)
      process.exitCode = 1
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) void main()
