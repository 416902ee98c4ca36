import { createTLSchema } from '@tldraw/tlschema'
import { DOCUMENT_RECORD_TYPES } from '../shared/protocol.ts'

const schema = createTLSchema()
const allowedTypes = new Set<string>(DOCUMENT_RECORD_TYPES)

/** The tldraw schema this server validates against (also serialised into new boards). */
export const tlSchema = schema

/**
 * Checks one value written to `records[key]` by a client (rule DOC-2 in server/SPEC.md):
 * a plain object whose `id` equals the key, whose `typeName` is a document-scoped record
 * type, and which tldraw's own validator accepts. Returns null when valid, else a reason.
 */
export function validateRecord(key: string, value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${key}: not an object`
  const rec = value as { id?: unknown; typeName?: unknown }
  if (rec.id !== key) return `${key}: id ${JSON.stringify(rec.id)} does not match its key`
  if (typeof rec.typeName !== 'string' || !allowedTypes.has(rec.typeName)) {
    return `${key}: typeName ${JSON.stringify(rec.typeName)} is not a document record type`
  }
  try {
    schema.types[rec.typeName as keyof typeof schema.types].validate(value)
    return null
  } catch (e) {
    return `${key}: ${(e as Error).message.split('\n')[0]}`
  }
}
