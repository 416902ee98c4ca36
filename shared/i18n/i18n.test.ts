import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser'
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

/** The argument names of a message as intl-messageformat's own parser reads them (sorted, unique). */
function argNames(text: string): string[] {
  const names = new Set<string>()
  const walk = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      if (el.type === TYPE.literal || el.type === TYPE.pound) continue
      if (el.type === TYPE.tag) {
        walk(el.children)
        continue
      }
      names.add(el.value)
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const o of Object.values(el.options)) walk(o.value)
    }
  }
  walk(parse(text, { ignoreTag: true }))
  return [...names].sort()
}
/** The plural arguments of a message: name and the categories its branches name. */
function pluralArgs(text: string): { name: string; categories: string[] }[] {
  const found: { name: string; categories: string[] }[] = []
  const walk = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      if (el.type === TYPE.plural) {
        found.push({ name: el.value, categories: Object.keys(el.options).sort() })
        for (const o of Object.values(el.options)) walk(o.value)
      } else if (el.type === TYPE.select) for (const o of Object.values(el.options)) walk(o.value)
    }
  }
  walk(parse(text, { ignoreTag: true }))
  return found
}
const placeholders = argNames
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

const KEYS = Object.keys(MESSAGES.en) as MessageKey[]
const PLURAL_KEYS = KEYS.filter((k) => pluralArgs(MESSAGES.en[k]).length > 0)
/** The CLDR plural categories each language's messages must give (integers; `other` covers fractions). */
const CATEGORIES: Record<Language, string[]> = {
  en: ['one', 'other'],
  fi: ['one', 'other'],
  et: ['one', 'other'],
  ru: ['few', 'many', 'one', 'other'],
}

describe('I18N-4 plurals (ICU through intl-messageformat)', () => {
  it('has the counted messages as plurals', () => {
    for (const key of ['gapPoints', 'viewersCount', 'notesOutsideTemplates', 'unattributedNotes', 'emptyZonesCount', 'unsyncedEdits', 'participantsCount'] as const) {
      expect(PLURAL_KEYS, key).toContain(key)
    }
  })

  /** Counts that stand without a noun ("3 dots left of 5", "Phase 2 of 5"): key -> argument names. */
  const BARE_OK: Partial<Record<MessageKey, string[]>> = { wsVoteLeft: ['dots'], facAgendaPhaseOf: ['total'] }

  it('leaves no count as a bare {placeholder}: a number shown with a noun is a plural', () => {
    const bare = KEYS.flatMap((key) =>
      codes.flatMap((lang) =>
        parse(MESSAGES[lang][key], { ignoreTag: true })
          .filter((el) => el.type === TYPE.argument && /^(count|n|gap|total|votes?|dots?|minutes?)$/.test(el.value) && !BARE_OK[key]?.includes(el.value))
          .map(() => `${lang}.${key}`),
      ),
    )
    expect(bare).toEqual([])
  })

  it.each(codes)('%s gives every plural the categories of its language', (lang) => {
    for (const key of PLURAL_KEYS) {
      const args = pluralArgs(MESSAGES[lang][key])
      expect(args.length, `${lang}.${key}`).toBeGreaterThan(0)
      // exact branches (`=0 {No dots left}`) come on top of the language's categories
      for (const arg of args) expect(arg.categories.filter((c) => !c.startsWith('=')), `${lang}.${key}`).toEqual(CATEGORIES[lang])
    }
  })

  it.each(codes)('%s formats every plural for 0, 1, 2, 5, 21 with nothing left over', (lang) => {
    for (const key of PLURAL_KEYS) {
      for (const n of [0, 1, 2, 5, 21]) {
        const params = Object.fromEntries(argNames(MESSAGES.en[key]).map((a) => [a, n]))
        const text = t(lang, key, params as never)
        expect(text, `${lang}.${key}(${n})`).not.toMatch(/[{}#]/)
        // an exact branch may say it in words ("no private notes")
        const exact = pluralArgs(MESSAGES[lang][key]).some((a) => a.categories.includes(`=${n}`))
        if (!exact) expect(text, `${lang}.${key}(${n})`).toContain(String(n))
      }
    }
  })

  it('uses three different Russian forms for 1, 2 and 5, and a singular and a plural elsewhere', () => {
    const form = (lang: Language, key: MessageKey, n: number) => {
      const params = Object.fromEntries(argNames(MESSAGES.en[key]).map((a) => [a, n]))
      return t(lang, key, params as never).replaceAll(String(n), 'N')
    }
    for (const key of PLURAL_KEYS) {
      const ru = [1, 2, 5].map((n) => form('ru', key, n))
      expect(new Set(ru).size, `ru.${key}: ${ru.join(' | ')}`).toBe(3)
      expect(form('ru', key, 21), `ru.${key}(21)`).toBe(ru[0])
      for (const lang of ['en', 'fi', 'et'] as const) {
        expect(form(lang, key, 1), `${lang}.${key}`).not.toBe(form(lang, key, 2))
        expect(form(lang, key, 5), `${lang}.${key}`).toBe(form(lang, key, 2))
      }
    }
  })

  it('reads right in every language', () => {
    expect(t('en', 'gapPoints', { gap: 1 })).toBe('1 point apart')
    expect(t('en', 'gapPoints', { gap: 3 })).toBe('3 points apart')
    expect(t('fi', 'gapPoints', { gap: 1 })).toBe('ero 1 piste')
    expect(t('fi', 'gapPoints', { gap: 2 })).toBe('ero 2 pistettä')
    expect(t('et', 'gapPoints', { gap: 2 })).toBe('vahe 2 punkti')
    expect(t('ru', 'gapPoints', { gap: 1 })).toBe('разница в 1 балл')
    expect(t('ru', 'gapPoints', { gap: 3 })).toBe('разница в 3 балла')
    expect(t('ru', 'viewersCount', { count: 5 })).toBe('5 зрителей')
    expect(t('ru', 'viewersCount', { count: 21 })).toBe('21 зритель')
    expect(t('ru', 'viewersCount', { count: 11 })).toBe('11 зрителей')
    expect(t('fi', 'notesOutsideTemplates', { count: 1 })).toBe('1 lappu pohjien ulkopuolella')
    expect(t('fi', 'notesOutsideTemplates', { count: 3 })).toBe('3 lappua pohjien ulkopuolella')
    expect(t('et', 'unattributedNotes', { count: 4 })).toBe('4 autorita märget')
    expect(t('ru', 'emptyZonesCount', { count: 2 })).toBe('2 пустых раздела')
  })

  it('shows the source of a plural rather than nothing when its count is missing', () => {
    expect(t('en', 'viewersCount')).toContain('{count, plural')
  })
})

describe('I18N-5 Placeholders<> agrees with the ICU parser', () => {
  it.each(codes)('%s uses exactly the arguments of English in every message', (lang) => {
    for (const key of KEYS) expect(argNames(MESSAGES[lang][key]), `${lang}.${key}`).toEqual(argNames(MESSAGES.en[key]))
  })

  it('types every message with the parameter names the parser finds (checked by the TypeScript compiler)', () => {
    // One type assertion per key: Placeholders<en[key]> must equal the parser's argument names.
    const here = dirname(fileURLToPath(import.meta.url))
    const dir = mkdtempSync(join(here, '.placeholders-'))
    try {
      const lines = KEYS.map((key, i) => {
        const names = argNames(MESSAGES.en[key])
        const union = names.length ? names.map((n) => JSON.stringify(n)).join(' | ') : 'never'
        return `type K${i} = Expect<Equal<Placeholders<(typeof en)[${JSON.stringify(key)}]>, ${union}>>`
      })
      const source = [
        `import type { Placeholders } from '../index.ts'`,
        `import type { en } from '../messages.ts'`,
        `type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false`,
        `type Expect<T extends true> = T`,
        ...lines,
        `export type All = [${KEYS.map((_, i) => `K${i}`).join(', ')}]`,
        '',
      ].join('\n')
      writeFileSync(join(dir, 'check.ts'), source)
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ extends: '../../../tsconfig.json', compilerOptions: { types: [], noUnusedLocals: false }, include: ['check.ts'] }),
      )
      const tsc = join(here, '../../node_modules/.bin/tsc')
      let output = ''
      try {
        execFileSync(tsc, ['-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' })
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string }
        output = `${err.stdout ?? ''}${err.stderr ?? ''}` || String(e)
      }
      const failing = [...output.matchAll(/check\.ts\((\d+),/g)].map((m) => KEYS[Number(m[1]) - 5]).filter(Boolean)
      expect({ failing, output: failing.length ? '' : output }).toEqual({ failing: [], output: '' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
