import { describe, expect, it } from 'vitest'
import { exportFileName } from './exportActions.ts'

const templates = [
  { template: 'staircase' as const, bounds: { x: 0, y: 0, w: 1000, h: 600 } },
  { template: 'actionPlan' as const, bounds: { x: 1200, y: 0, w: 800, h: 600 } },
]

describe('ACT-2 export file names', () => {
  it('names the board and, when the area lies in one template, that template in the UI language', () => {
    expect(exportFileName('b42', { x: 1300, y: 100, w: 200, h: 200 }, templates, 'en')).toBe('Arvo b42 – Action plan')
    expect(exportFileName('b42', { x: 10, y: 10, w: 100, h: 100 }, templates, 'fi')).toBe('Arvo b42 – Asiakasarvon portaat')
  })
  it('names only the board when the area spans templates, lies outside them or is unknown', () => {
    expect(exportFileName('b42', { x: 10, y: 10, w: 1500, h: 100 }, templates, 'en')).toBe('Arvo b42')
    expect(exportFileName('b42', { x: -500, y: 10, w: 100, h: 100 }, templates, 'en')).toBe('Arvo b42')
    expect(exportFileName('b42', null, templates, 'en')).toBe('Arvo b42')
    // The board's title names the file when the facilitator gave one (unsafe characters dropped).
    expect(exportFileName('b42', { x: 1300, y: 100, w: 200, h: 200 }, templates, 'en', 'Kesko / Telia: kick-off')).toBe('Kesko Telia kick-off – Action plan')
    expect(exportFileName('b42', null, templates, 'en', '   ')).toBe('Arvo b42')
  })
})
