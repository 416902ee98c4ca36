/**
 * The PDF's fonts: IBM Plex Sans (tldraw's "sans": labels, report) and Shantell Sans
 * (tldraw's "draw": note text), embedded as TTF subsets. The files are read and parsed
 * (fontkit, pdfkit's own font engine) once per process; every document registers the same
 * parsed fonts, so a render pays neither the disk nor the table parsing again.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** Font names as registered in every document. */
export const FONT = {
  regular: 'IBMPlexSans-Regular',
  medium: 'IBMPlexSans-Medium',
  bold: 'IBMPlexSans-Bold',
  note: 'ShantellSans-Medium',
} as const

export type FontName = (typeof FONT)[keyof typeof FONT]

const FILES: Record<FontName, [pkg: string, file: string]> = {
  [FONT.regular]: ['@expo-google-fonts/ibm-plex-sans', '400Regular/IBMPlexSans_400Regular.ttf'],
  [FONT.medium]: ['@expo-google-fonts/ibm-plex-sans', '500Medium/IBMPlexSans_500Medium.ttf'],
  [FONT.bold]: ['@expo-google-fonts/ibm-plex-sans', '700Bold/IBMPlexSans_700Bold.ttf'],
  [FONT.note]: ['@expo-google-fonts/shantell-sans', '500Medium/ShantellSans_500Medium.ttf'],
}

/** OpenType features of the note font: kerning only (see {@link parsedFonts}). */
const NOTE_FEATURES = { calt: false, liga: false, clig: false, rclt: false, curs: false, mark: false, mkmk: false, ccmp: false, locl: false, rlig: false }

let cache: Map<FontName, Buffer> | null = null
let parsed: Map<FontName, unknown> | null = null

/** The four font files as buffers (read from node_modules on first use, then cached). */
export function fontBuffers(): ReadonlyMap<FontName, Buffer> {
  if (cache) return cache
  const require = createRequire(import.meta.url)
  const loaded = new Map<FontName, Buffer>()
  for (const [name, [pkg, file]] of Object.entries(FILES) as [FontName, [string, string]][]) {
    const root = dirname(require.resolve(`${pkg}/package.json`))
    loaded.set(name, readFileSync(join(root, file)))
  }
  cache = loaded
  return loaded
}

/**
 * The four fonts parsed by fontkit (resolved next to pdfkit, whose dependency it is), ready for
 * `doc.registerFont(name, font)`: pdfkit accepts a font object with a `layout` method.
 */
export function parsedFonts(): ReadonlyMap<FontName, unknown> {
  if (parsed) return parsed
  const require = createRequire(import.meta.url)
  const fromPdfkit = createRequire(require.resolve('pdfkit'))
  const fontkit = fromPdfkit('fontkit') as { create(buf: Uint8Array): unknown }
  const out = new Map<FontName, unknown>()
  for (const [name, buf] of fontBuffers()) {
    const font = fontkit.create(buf) as { layout(text: string, features?: unknown): unknown }
    if (name === FONT.note) {
      // Shantell Sans' contextual alternates ("bouncy" letters) cost ~12 ms per line in fontkit;
      // without them (kerning kept) a line takes ~0.4 ms. pdfkit caches its layouts per word
      // only when it passes no features itself, so the default is set on the font object.
      const layout = font.layout.bind(font)
      font.layout = (text, features) => layout(text, features ?? NOTE_FEATURES)
    }
    out.set(name, font)
  }
  parsed = out
  return out
}
