import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { startServer } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { parsedFonts } from './export/pdf/fonts.ts'

/** Entry point: configuration from the environment, then one process on one port. */
async function main(): Promise<void> {
  let config
  try {
    config = loadConfig(process.env)
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`[arvo] configuration error: ${e.message}\n`)
      process.exit(2)
    }
    throw e
  }
  if (!existsSync(join(config.clientDir, 'index.html'))) {
    process.stderr.write(`[arvo] WARN no built client in ${config.clientDir}: run \`npm run build\`\n`)
  }
  let server
  try {
    server = await startServer(config)
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    const why =
      err.code === 'EADDRINUSE'
        ? `port ${config.port} is already in use (set PORT to another port)`
        : err.code === 'EACCES'
          ? `no permission to listen on ${config.host}:${config.port}`
          : err.message
    process.stderr.write(`[arvo] could not start: ${why}\n`)
    process.exit(1)
  }
  process.stdout.write(
    `[arvo] listening on ${server.url} (storage ${server.storage.name}${server.fanoutName ? `, fan-out ${server.fanoutName}` : ""})\n` +
      (config.tldrawLicenseKey ? '' : '[arvo] no TLDRAW_LICENSE_KEY: fine on localhost/http; production https needs one (see README)\n'),
  )
  // The PDF fonts are read and parsed once per process (~1 s): pay it now, not on the first export.
  setTimeout(() => {
    try {
      parsedFonts()
    } catch (e) {
      process.stderr.write(`[arvo] WARN the PDF fonts could not be loaded: ${(e as Error).message}\n`)
    }
  }, 200).unref()
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    process.stdout.write(`[arvo] ${signal}: closing connections and saving boards\n`)
    server.close().then(
      () => process.exit(0),
      (e: Error) => {
        process.stderr.write(`[arvo] shutdown error: ${e.message}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

void main()
