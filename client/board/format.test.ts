import { describe, expect, it } from 'vitest'
import { authorInitials, formatDue } from './format.ts'

describe('ACT-1 due dates on action badges', () => {
  it('reads as the viewer writes dates, whatever the time zone', () => {
    expect(formatDue('2026-12-15', 'en')).toBe('15 Dec 2026')
    expect(formatDue('2026-12-15', 'fi')).toBe('15.12.2026')
    expect(formatDue('2026-01-01', 'et')).toMatch(/^1\. jaan/)
    expect(formatDue('2026-03-08', 'ru')).toMatch(/^8 мар/)
  })
})

describe('NOTE-2 author initials on notes', () => {
  it('takes the first letters of the first and last word, or two letters of a single word', () => {
    expect(authorInitials('Paula Consultant-Virtanen')).toBe('PC')
    expect(authorInitials('anna maria  luoto')).toBe('AL')
    expect(authorInitials('Ilja')).toBe('IL')
    expect(authorInitials('  Õie Mägi ')).toBe('ÕM')
    expect(authorInitials('Юлия Смирнова')).toBe('ЮС')
    expect(authorInitials('   ')).toBe('?')
  })
})
