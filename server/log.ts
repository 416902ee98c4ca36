/** One-line structured logs: `level message key=value ...` on stderr (info on stdout). */
export type LogLevel = 'info' | 'warn' | 'silent'

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
}

function fmt(fields?: Record<string, unknown>): string {
  if (!fields) return ''
  return Object.entries(fields)
    .map(([k, v]) => ` ${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join('')
}

/** Creates a logger that writes at or above `level`. */
export function createLogger(level: LogLevel): Logger {
  return {
    info(msg, fields) {
      if (level === 'info') process.stdout.write(`[arvo] ${msg}${fmt(fields)}\n`)
    },
    warn(msg, fields) {
      if (level !== 'silent') process.stderr.write(`[arvo] WARN ${msg}${fmt(fields)}\n`)
    },
  }
}
