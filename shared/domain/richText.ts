/**
 * tldraw 5 stores text as TipTap document JSON (`richText`). These helpers build it for our
 * templates and read plain text back out of any (possibly untrusted) document.
 */
import type { TLRichText } from '@tldraw/tlschema'

/** Options for {@link richText}. */
export interface RichTextOptions {
  /** Render every line bold (TipTap `bold` mark). */
  bold?: boolean
}

/**
 * Builds a TipTap document: one paragraph per line of `text`; an empty line becomes an empty
 * paragraph (a paragraph without `content`, as TipTap writes it).
 *
 * @param text - Plain text; `\n` separates paragraphs.
 * @param options - Formatting applied to the whole text.
 * @returns A `richText` value accepted by tldraw's note, geo and text shapes.
 */
export function richText(text: string, options: RichTextOptions = {}): TLRichText {
  const content = text.split('\n').map((line) => {
    if (line === '') return { type: 'paragraph' }
    const node: Record<string, unknown> = { type: 'text', text: line }
    if (options.bold) node.marks = [{ type: 'bold' }]
    return { type: 'paragraph', content: [node] }
  })
  return { type: 'doc', content }
}

/** Leaf blocks: each is one line of plain text (an empty one is a blank line). */
const LINE_BLOCKS: ReadonlySet<string> = new Set(['paragraph', 'heading', 'codeBlock'])
/** Containers: they end the current line only if it holds text. */
const CONTAINER_BLOCKS: ReadonlySet<string> = new Set([
  'listItem',
  'taskItem',
  'blockquote',
  'bulletList',
  'orderedList',
  'taskList',
])

/** Maximum nesting depth we walk; deeper junk is ignored rather than overflowing the stack. */
const MAX_DEPTH = 64

/**
 * Extracts plain text from a TipTap document: text nodes are concatenated, block nodes
 * (paragraphs, headings, list items…) become separate lines, `hardBreak` is a newline.
 * Never throws: anything that is not a document yields `''`, malformed nodes are skipped.
 *
 * @param doc - A `richText` value (or anything).
 * @returns The text, lines joined by `\n`, without leading/trailing blank lines.
 */
export function richTextToPlain(doc: unknown): string {
  const lines: string[] = []
  let current = ''
  const flush = () => {
    lines.push(current)
    current = ''
  }
  const walk = (node: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || typeof node !== 'object' || node === null) return
    const n = node as { type?: unknown; text?: unknown; content?: unknown }
    if (n.type === 'text') {
      if (typeof n.text === 'string') current += n.text
      return
    }
    if (n.type === 'hardBreak') {
      flush()
      return
    }
    if (Array.isArray(n.content)) {
      for (const child of n.content) walk(child, depth + 1)
    }
    if (typeof n.type !== 'string') return
    if (LINE_BLOCKS.has(n.type) || (CONTAINER_BLOCKS.has(n.type) && current !== '')) flush()
  }
  if (typeof doc !== 'object' || doc === null) return ''
  walk(doc, 0)
  if (current) flush()
  return lines.join('\n').replace(/^\n+|\n+$/g, '')
}
