import { createReadStream, existsSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
}

/**
 * Serves the built client from `root`. Hashed files under /assets/ are cached for a year;
 * every app route (/, /b/<id>) answers index.html. Never serves outside `root`.
 */
export function createStaticHandler(root: string) {
  const base = resolve(root)
  const index = join(base, 'index.html')
  return function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    let rel: string
    try {
      rel = decodeURIComponent(pathname)
    } catch {
      return false
    }
    const file = normalize(join(base, rel))
    if (file !== base && !file.startsWith(base + sep)) return false
    let target: string | null = null
    if (existsSync(file) && statSync(file).isFile()) target = file
    else if (pathname === '/' || pathname.startsWith('/b/')) target = index
    if (target === null) return false
    if (!existsSync(target)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
      res.end('The client is not built: run `npm run build` (npm start does it for you).\n')
      return true
    }
    const immutable = target.startsWith(join(base, 'assets') + sep)
    res.writeHead(200, {
      'content-type': MIME[extname(target)] ?? 'application/octet-stream',
      'content-length': statSync(target).size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    })
    if (req.method === 'HEAD') res.end()
    else createReadStream(target).pipe(res)
    return true
  }
}
