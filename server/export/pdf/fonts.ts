/**
 * The PDF's fonts: IBM Plex Sans (tldraw's "sans": labels, report) and Shantell Sans
 * (tldraw's "draw": note text), embedded as TTF subsets. The files are read once per process
 * and kept in memory; every document registers the same buffers.
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

let cache: Map<FontName, Buffer> | null = null

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
