import { describe, expect, it } from 'vitest'
import {
  detectLanguage,
  interpolate,
  LANGUAGES,
  MESSAGES,
  SAME_IN_ALL_LANGUAGES,
  t,
  type Language,
  type MessageKey,
} from './index.ts'

const REQUIRED_KEYS: MessageKey[] = [
  'appName',
  'newBoard',
  'newBoardHint',
  'createBoardWithTemplates',
  'templatePicker',
  'templatePyramid',
  'templateRoleMap',
  'templateStaircase',
  'templateActionPlan',
  'addTemplate',
  'yourName',
  'yourSide',
  'sideProvider',
  'sideCustomer',
  'join',
  'participants',
  'online',
  'idle',
  'you',
  'connecting',
  'connected',
  'reconnecting',
  'offlineEditsWillSync',
  'boardNotFound',
  'backHome',
  'legend',
  'insights',
  'balance',
  'coverage',
  'perceptionGap',
  'balanceWarningProvider',
  'balanceWarningCustomer',
  'emptyZone',
  'notes',
  'edits',
  'rating',
  'notRated',
  'language',
  'changeIdentity',
  'copyLink',
  'linkCopied',
  'invalidRecordSkipped',
]

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
const codes = LANGUAGES.map((l) => l.code)

describe('I18N-1 catalogue completeness', () => {
  it('offers exactly en, fi, et, ru with their native names', () => {
    expect(LANGUAGES).toEqual([
      { code: 'en', nativeName: 'English' },
      { code: 'fi', nativeName: 'Suomi' },
      { code: 'et', nativeName: 'Eesti' },
      { code: 'ru', nativeName: 'Русский' },
    ])
  })

  it.each(codes)('%s has every required key, non-empty', (lang) => {
    for (const key of REQUIRED_KEYS) {
      expect(MESSAGES[lang][key], `${lang}.${key}`).toBeTypeOf('string')
      expect(MESSAGES[lang][key].trim(), `${lang}.${key}`).not.toBe('')
    }
  })

  it.each(codes)('%s has exactly the keys of English, with the same placeholders', (lang) => {
    expect(Object.keys(MESSAGES[lang]).sort()).toEqual(Object.keys(MESSAGES.en).sort())
    for (const key of Object.keys(MESSAGES.en) as MessageKey[]) {
      expect(placeholders(MESSAGES[lang][key]), `${lang}.${key}`).toEqual(placeholders(MESSAGES.en[key]))
    }
  })

  it.each(codes.filter((c) => c !== 'en'))('%s translates everything except proper names', (lang) => {
    const untranslated = (Object.keys(MESSAGES.en) as MessageKey[]).filter(
      (key) => !SAME_IN_ALL_LANGUAGES.has(key) && MESSAGES[lang][key] === MESSAGES.en[key],
    )
    expect(untranslated).toEqual([])
  })

  it('uses native letters: Cyrillic in Russian, õ/ä/ö/ü in Estonian, ä/ö in Finnish', () => {
    expect(Object.values(MESSAGES.ru).join(' ')).toMatch(/[а-яё]/i)
    expect(Object.values(MESSAGES.et).join(' ')).toMatch(/õ/)
    expect(Object.values(MESSAGES.et).join(' ')).toMatch(/[äöü]/)
    expect(Object.values(MESSAGES.fi).join(' ')).toMatch(/[äö]/)
  })
})

describe('I18N-2 detectLanguage', () => {
  it.each<[string[], Language]>([
    [['fi-FI', 'en-US'], 'fi'],
    [['et'], 'et'],
    [['ru_RU'], 'ru'],
    [['RU-ru'], 'ru'],
    [['de-DE', 'et-EE', 'fi'], 'et'],
    [['de-DE', 'sv'], 'en'],
    [[], 'en'],
    [['en-GB', 'fi'], 'en'],
  ])('%j → %s', (langs, expected) => {
    expect(detectLanguage(langs)).toBe(expected)
  })
})

describe('I18N-3 t() and interpolation', () => {
  it('fills placeholders in every language', () => {
    expect(t('en', 'balanceWarningProvider', { pct: 82 })).toBe(
      'The provider side carries 82% of the contributions',
    )
    expect(t('fi', 'balanceWarningCustomer', { pct: 75 })).toBe('Asiakkaan puoli kantaa 75 % panoksista')
    expect(t('ru', 'emptyZone', { zone: 'Вдохновляющая ценность' })).toBe(
      'В разделе «Вдохновляющая ценность» пока никто ничего не назвал',
    )
    expect(t('et', 'emptyZone', { zone: 'Teave' })).toBe('Alale „Teave“ pole keegi veel midagi lisanud')
  })

  it('leaves a missing parameter visible', () => {
    expect(t('en', 'emptyZone')).toBe('Nobody has named any {zone} yet')
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}')
  })

  it('falls back to English for an unsupported language', () => {
    expect(t('de' as Language, 'newBoard')).toBe('New board')
  })

  it('does not interpret replacement patterns in values', () => {
    expect(interpolate('x {v} y', { v: '$& $1' })).toBe('x $& $1 y')
  })
})
