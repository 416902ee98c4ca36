import { describe, expect, it } from 'vitest'
import { DOCUMENT_RECORD_TYPES } from '../shared/protocol.ts'
import { noteRecord } from './test/fixtures.ts'
import { tlSchema, validateRecord } from './validation.ts'

describe('record validation (DOC-2)', () => {
  it('DOC-1 the documented record types are exactly the schema\'s document-scoped types', () => {
    const documentScoped = Object.entries(tlSchema.types)
      .filter(([, t]) => (t as { scope: string }).scope === 'document')
      .map(([name]) => name)
      .sort()
    expect([...DOCUMENT_RECORD_TYPES].sort()).toEqual(documentScoped)
  })

  it('DOC-2 accepts a full note and rejects wrong ids, types, props and non-objects', () => {
    expect(validateRecord('shape:a', noteRecord('shape:a', 0, 0, 'hi'))).toBeNull()
    expect(validateRecord('shape:b', noteRecord('shape:a', 0, 0, 'hi'))).toMatch(/does not match its key/)
    expect(validateRecord('camera:x', { id: 'camera:x', typeName: 'camera' })).toMatch(/not a document record type/)
    expect(validateRecord('shape:a', { ...noteRecord('shape:a', 0, 0, 'hi'), x: 'left' })).toMatch(/x/)
    const bad = noteRecord('shape:a', 0, 0, 'hi')
    ;(bad.props as Record<string, unknown>).color = 'chartreuse'
    expect(validateRecord('shape:a', bad)).toMatch(/color/)
    expect(validateRecord('shape:a', null)).toMatch(/not an object/)
    expect(validateRecord('shape:a', [1])).toMatch(/not an object/)
  })
})
