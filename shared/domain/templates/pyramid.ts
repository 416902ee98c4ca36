/**
 * The B2B customer value pyramid (seed 001, after Almquist, Cleghorn & Sherer, "The B2B
 * Elements of Value", HBR 2018): five levels, bottom to top, 40 elements grouped by sub-group
 * (4 + 5 + 21 + 7 + 3). Each level is one zone, drawn as a tldraw `trapezoid`; stacked
 * trapezoids share edges, so the outline is a (truncated) pyramid with level 1 widest at the
 * bottom. Element names are prompts inside their level.
 */
import type { TLDefaultColorStyle } from '@tldraw/tlschema'
import type { Language, Localized } from '../../i18n/languages.ts'
import { TRAPEZOID_INSET } from '../geometry.ts'
import {
  estimateLines,
  estimateTextHeight,
  estimateTextWidth,
  fontPx,
  lineHeightPx,
  longestWordWidth,
  TYPE,
  type TextStyle,
} from '../layout.ts'
import type { TemplateCanvas } from './canvas.ts'
import { drawHeader, headerHeight, HEADER_GAP, MARGIN, maxOverLanguages as maxOver, zoneDef } from './text.ts'
import type { Size, TemplateDefinition, ZoneDefinition } from './types.ts'

/** One of the 40 elements of value. */
export interface PyramidElement {
  id: string
  name: Localized
}

/** A sub-group of a level (`null` name: the level has no sub-groups, as table stakes). */
export interface PyramidGroup {
  id: string
  name: Localized | null
  elements: readonly PyramidElement[]
}

/** A level of the pyramid; its id is the zone id. */
export interface PyramidLevel {
  id: 'tableStakes' | 'functional' | 'ease' | 'individual' | 'inspirational'
  /** 1 = bottom … 5 = top. */
  number: 1 | 2 | 3 | 4 | 5
  label: Localized
  /** English noun phrase for "Nobody has named any … yet". */
  phraseEn: string
  color: TLDefaultColorStyle
  groups: readonly PyramidGroup[]
}

const el = (id: string, en: string, fi: string, et: string, ru: string): PyramidElement => ({
  id,
  name: { en, fi, et, ru },
})

/**
 * The five levels, bottom (1) to top (5). Finnish wording follows seed 001 where it names the
 * element; the rest is translated.
 */
export const PYRAMID_LEVELS: readonly PyramidLevel[] = [
  {
    id: 'tableStakes',
    number: 1,
    label: {
      en: 'Table stakes',
      fi: 'Yhteistyön vähimmäisvaatimukset',
      et: 'Koostöö miinimumnõuded',
      ru: 'Минимальные требования к сотрудничеству',
    },
    phraseEn: 'table stakes',
    color: 'grey',
    groups: [
      {
        id: 'tableStakes',
        name: null,
        elements: [
          el(
            'meetingSpecifications',
            'Meeting specifications',
            'Määrittelyjen täyttäminen',
            'Nõuetele vastamine',
            'Соответствие спецификациям',
          ),
          el('acceptablePrice', 'Acceptable price', 'Hyväksyttävä hinta', 'Vastuvõetav hind', 'Приемлемая цена'),
          el(
            'regulatoryCompliance',
            'Regulatory compliance',
            'Lainsäädännön ja säädösten noudattaminen',
            'Õigusaktide järgimine',
            'Соответствие нормативным требованиям',
          ),
          el(
            'ethicalStandards',
            'Ethical standards',
            'Eettinen vastuullisuus',
            'Eetilised standardid',
            'Этические стандарты',
          ),
        ],
      },
    ],
  },
  {
    id: 'functional',
    number: 2,
    label: {
      en: 'Functional value',
      fi: 'Funktionaalinen arvo',
      et: 'Funktsionaalne väärtus',
      ru: 'Функциональная ценность',
    },
    phraseEn: 'functional value',
    color: 'green',
    groups: [
      {
        id: 'economic',
        name: { en: 'Economic', fi: 'Taloudellinen hyöty', et: 'Majanduslik kasu', ru: 'Экономическая выгода' },
        elements: [
          el('improvedTopLine', 'Improved top line', 'Myynnin kasvattaminen', 'Käibe kasv', 'Рост выручки'),
          el('costReduction', 'Cost reduction', 'Kustannusten alentaminen', 'Kulude vähendamine', 'Снижение затрат'),
        ],
      },
      {
        id: 'performance',
        name: { en: 'Performance', fi: 'Toimintakyky', et: 'Toimivus', ru: 'Эффективность' },
        elements: [
          el('productQuality', 'Product quality', 'Laadun parantaminen', 'Toote kvaliteet', 'Качество продукта'),
          el('scalability', 'Scalability', 'Skaalattavuus', 'Skaleeritavus', 'Масштабируемость'),
          el('innovation', 'Innovation', 'Innovaatio', 'Innovatsioon', 'Инновации'),
        ],
      },
    ],
  },
  {
    id: 'ease',
    number: 3,
    label: {
      en: 'Ease of doing business',
      fi: 'Liiketoiminnan tekemisen helpottaminen',
      et: 'Äritegevuse lihtsustamine',
      ru: 'Простота ведения бизнеса',
    },
    phraseEn: 'ease-of-doing-business value',
    color: 'blue',
    groups: [
      {
        id: 'productivity',
        name: { en: 'Productivity', fi: 'Tuotteliaisuus', et: 'Tootlikkus', ru: 'Продуктивность' },
        elements: [
          el('timeSavings', 'Time savings', 'Ajan säästäminen', 'Aja kokkuhoid', 'Экономия времени'),
          el('reducedEffort', 'Reduced effort', 'Vaivan vähentäminen', 'Väiksem pingutus', 'Меньше усилий'),
          el('decreasedHassles', 'Decreased hassles', 'Vähemmän harmia', 'Vähem sekeldusi', 'Меньше хлопот'),
          el('information', 'Information', 'Tieto', 'Teave', 'Информация'),
          el('transparency', 'Transparency', 'Läpinäkyvyys', 'Läbipaistvus', 'Прозрачность'),
        ],
      },
      {
        id: 'access',
        name: { en: 'Access', fi: 'Saatavuus', et: 'Ligipääs', ru: 'Доступ' },
        elements: [
          el('availability', 'Availability', 'Saatavilla olo', 'Kättesaadavus', 'Доступность'),
          el('variety', 'Variety', 'Valikoima', 'Valikurikkus', 'Разнообразие'),
          el('configurability', 'Configurability', 'Muokattavuus', 'Kohandatavus', 'Настраиваемость'),
        ],
      },
      {
        id: 'relationship',
        name: { en: 'Relationship', fi: 'Suhde', et: 'Suhe', ru: 'Отношения' },
        elements: [
          el('responsiveness', 'Responsiveness', 'Reagointikyky', 'Reageerimisvõime', 'Отзывчивость'),
          el('expertise', 'Expertise', 'Asiantuntemus', 'Asjatundlikkus', 'Экспертиза'),
          el('commitment', 'Commitment', 'Sitoutuminen', 'Pühendumus', 'Приверженность'),
          el('stability', 'Stability', 'Vakaus', 'Stabiilsus', 'Стабильность'),
          el(
            'culturalFit',
            'Cultural fit',
            'Työkulttuurien yhteensopivuus',
            'Kultuuriline sobivus',
            'Культурная совместимость',
          ),
        ],
      },
      {
        id: 'operational',
        name: { en: 'Operational', fi: 'Operatiivinen toiminta', et: 'Operatiivne', ru: 'Операционная' },
        elements: [
          el('organization', 'Organization', 'Organisointi', 'Organiseeritus', 'Организованность'),
          el('simplification', 'Simplification', 'Yksinkertaistaminen', 'Lihtsustamine', 'Упрощение'),
          el('connection', 'Connection', 'Yhteyksien luominen', 'Ühendatus', 'Связанность'),
          el('integration', 'Integration', 'Integraatio', 'Integratsioon', 'Интеграция'),
        ],
      },
      {
        id: 'strategic',
        name: { en: 'Strategic', fi: 'Strateginen toiminta', et: 'Strateegiline', ru: 'Стратегическая' },
        elements: [
          el('riskReduction', 'Risk reduction', 'Riskien vähentäminen', 'Riskide vähendamine', 'Снижение рисков'),
          el('reach', 'Reach', 'Tavoittavuus', 'Haare', 'Охват'),
          el('flexibility', 'Flexibility', 'Joustavuus', 'Paindlikkus', 'Гибкость'),
          el(
            'componentQuality',
            'Component quality',
            'Komponenttien laatu',
            'Komponentide kvaliteet',
            'Качество компонентов',
          ),
        ],
      },
    ],
  },
  {
    id: 'individual',
    number: 4,
    label: {
      en: 'Individual value',
      fi: 'Yksilöllinen arvo',
      et: 'Individuaalne väärtus',
      ru: 'Индивидуальная ценность',
    },
    phraseEn: 'individual value',
    color: 'violet',
    groups: [
      {
        id: 'career',
        name: { en: 'Career', fi: 'Ura', et: 'Karjäär', ru: 'Карьера' },
        elements: [
          el(
            'networkExpansion',
            'Network expansion',
            'Verkostojen laajentaminen',
            'Võrgustiku laienemine',
            'Расширение сети контактов',
          ),
          el('marketability', 'Marketability', 'Oma markkina-arvo', 'Enda turuväärtus', 'Востребованность на рынке'),
          el(
            'reputationalAssurance',
            'Reputational assurance',
            'Maineesta huolehtiminen',
            'Maine kaitsmine',
            'Защита репутации',
          ),
        ],
      },
      {
        id: 'personal',
        name: { en: 'Personal', fi: 'Henkilökohtainen', et: 'Isiklik', ru: 'Личная' },
        elements: [
          el('designAesthetics', 'Design & aesthetics', 'Muotoilu ja estetiikka', 'Disain ja esteetika', 'Дизайн и эстетика'),
          el(
            'growthDevelopment',
            'Growth & development',
            'Osaamisen kasvu ja kehittäminen',
            'Kasv ja areng',
            'Рост и развитие',
          ),
          el('reducedAnxiety', 'Reduced anxiety', 'Huolien poistaminen', 'Väiksem ärevus', 'Снижение тревожности'),
          el('funPerks', 'Fun & perks', 'Ilahduttaminen ja edut', 'Rõõm ja hüved', 'Удовольствие и бонусы'),
        ],
      },
    ],
  },
  {
    id: 'inspirational',
    number: 5,
    label: {
      en: 'Inspirational value',
      fi: 'Inspiroiva arvo',
      et: 'Inspireeriv väärtus',
      ru: 'Вдохновляющая ценность',
    },
    phraseEn: 'inspirational value',
    color: 'orange',
    groups: [
      {
        id: 'purpose',
        name: { en: 'Purpose', fi: 'Tarkoituksellisuus', et: 'Eesmärk', ru: 'Предназначение' },
        elements: [
          el('vision', 'Vision', 'Tulevaisuuden visio', 'Visioon', 'Видение'),
          el('hope', 'Hope', 'Toivo', 'Lootus', 'Надежда'),
          el(
            'socialResponsibility',
            'Social responsibility',
            'Sosiaalinen vastuullisuus',
            'Sotsiaalne vastutus',
            'Социальная ответственность',
          ),
        ],
      },
    ],
  },
]

const TITLE: Localized = {
  en: 'B2B customer value pyramid',
  fi: 'Asiakasarvopyramidin viisi tasoa',
  et: 'B2B kliendiväärtuse püramiid',
  ru: 'Пирамида ценности для B2B-клиента',
}

const SUBTITLE: Localized = {
  en: '“We do not commit a company, we commit an individual.” Place each note on the level where the value arises. After Almquist, Cleghorn & Sherer, “The B2B Elements of Value” (HBR).',
  fi: '”Emme voi sitouttaa yritystä, vaan sitoutamme yksilön.” Sijoita lappu tasolle, jolla arvo syntyy. Lähde: Almquist, Cleghorn & Sherer, ”The B2B Elements of Value” (HBR).',
  et: '„Me ei saa siduda ettevõtet – me seome inimese.“ Aseta märge tasandile, kus väärtus tekib. Allikas: Almquist, Cleghorn & Sherer, „The B2B Elements of Value“ (HBR).',
  ru: '«Мы вовлекаем не компанию, а человека». Разместите заметку на уровне, где возникает ценность. По статье Almquist, Cleghorn & Sherer «The B2B Elements of Value» (HBR).',
}


/** Width of the top edge of level 5. */
const TOP_EDGE_WIDTH = 2100
const PAD_X = 36
const PAD_TOP = 22
/** Horizontal gap between two prompts of one group, and between two groups. */
const ITEM_GAP = 30
const GROUP_GAP = 70
/** Slack added to each prompt's measured width, on top of the layout's safety margin. */
const ITEM_SLACK = 12
/**
 * Widest slot a prompt may take before it wraps onto more lines (at its words): each level
 * uses the one of these that gives it the least height (the widest on a tie).
 */
const ITEM_MAX_WIDTHS = [Infinity, 720, 600, 520, 460, 400, 340]
const ROW_GAP = 12
/** Free height at the bottom of every level, where a row of notes fits without covering prompts. */
const NOTE_BAND = 130

const LINE_H = lineHeightPx(TYPE.prompt)

/**
 * One prompt slot: a group header ("Productivity:") or an element. Its width and line count
 * hold its text in every language, so the slots sit in the same place whatever language a
 * template is placed or read in (TPL-9): no language breaks a word or runs into a neighbour.
 */
interface FlowItem {
  text: Localized
  role: 'groupHeader' | 'element'
  group: string
  element?: string
  w: number
  lines: number
}

interface FlowRow {
  items: (FlowItem & { x: number })[]
  width: number
  lines: number
}

const levelTitle = (level: PyramidLevel, lang: Language) => `${level.number} · ${level.label[lang]}`

/** A slot for `text`: its widest language on one line, or wrapped at `maxW` — never narrower than a word. */
function flowItem(
  text: Localized,
  style: TextStyle,
  maxW: number,
  base: Omit<FlowItem, 'text' | 'w' | 'lines'>,
): FlowItem {
  const natural = maxOver((l) => estimateTextWidth(text[l], style))
  const word = maxOver((l) => longestWordWidth(text[l], style))
  const w = Math.ceil(Math.max(word, Math.min(natural, maxW))) + ITEM_SLACK
  const lines = maxOver((l) => estimateLines(text[l], w - ITEM_SLACK, fontPx(style), style.bold))
  return { ...base, text, w, lines }
}

/** The prompt slots of a level, group by group: each group's header, then its elements. */
function levelItems(level: PyramidLevel, maxW: number): FlowItem[][] {
  return level.groups.map((group) => {
    const header = group.name
      ? [flowItem(labelled(group.name), TYPE.header, maxW, { role: 'groupHeader', group: group.id })]
      : []
    const elements = group.elements.map((e) =>
      flowItem(e.name, TYPE.prompt, maxW, { role: 'element', group: group.id, element: e.id }),
    )
    return [...header, ...elements]
  })
}

/** "Productivity" → "Productivity:" in every language. */
function labelled(name: Localized): Localized {
  return { en: `${name.en}:`, fi: `${name.fi}:`, et: `${name.et}:`, ru: `${name.ru}:` }
}

/**
 * Flows a level's prompt slots into rows no wider than `maxWidth`. A group that fits on one
 * row is never split (it starts a new row if needed); a longer group wraps, its header staying
 * with its first element. A row is as tall as its tallest slot.
 */
function flowLevel(level: PyramidLevel, maxWidth: number, itemMaxW: number): FlowRow[] {
  const rows: FlowRow[] = []
  let row: FlowRow = { items: [], width: 0, lines: 1 }
  const widthOf = (unit: FlowItem[]) => unit.reduce((s, i) => s + i.w, 0) + (unit.length - 1) * ITEM_GAP
  const newRow = () => {
    if (row.items.length > 0) rows.push(row)
    row = { items: [], width: 0, lines: 1 }
  }
  const place = (unit: FlowItem[], gap: number) => {
    const lead = row.items.length === 0 ? 0 : gap
    if (row.items.length > 0 && row.width + lead + widthOf(unit) > maxWidth) newRow()
    let x = row.width + (row.items.length === 0 ? 0 : gap)
    for (const item of unit) {
      row.items.push({ ...item, x })
      row.lines = Math.max(row.lines, item.lines)
      x += item.w + ITEM_GAP
    }
    row.width = x - ITEM_GAP
  }
  for (const whole of levelItems(level, itemMaxW)) {
    const lead = row.items.length === 0 ? 0 : GROUP_GAP
    const hasHeader = whole[0]!.role === 'groupHeader'
    if (row.width + lead + widthOf(whole) <= maxWidth || widthOf(whole) > maxWidth) {
      // Fits where we are, or fits nowhere: flow it slot by slot from here.
      const first = hasHeader ? 2 : 1
      place(whole.slice(0, first), GROUP_GAP)
      for (const e of whole.slice(first)) place([e], ITEM_GAP)
    } else {
      newRow()
      place(whole, GROUP_GAP)
    }
  }
  newRow()
  return rows
}

const rowHeight = (row: FlowRow) => row.lines * LINE_H + ROW_GAP

/** The flow of a level's prompts that takes the least height; see {@link ITEM_MAX_WIDTHS}. */
function bestRows(level: PyramidLevel, maxWidth: number): FlowRow[] {
  let best: FlowRow[] | null = null
  let bestH = Infinity
  for (const itemMaxW of ITEM_MAX_WIDTHS) {
    const rows = flowLevel(level, maxWidth, itemMaxW)
    const h = rows.reduce((s, r) => s + rowHeight(r), 0)
    if (rows.every((r) => r.width <= maxWidth) && h < bestH) {
      best = rows
      bestH = h
    }
  }
  if (!best) throw new Error(`pyramid level ${level.id} overflows`)
  return best
}

interface LevelLayout {
  level: PyramidLevel
  /** Top-left corner of the trapezoid's bounding box, template-local. */
  x: number
  y: number
  w: number
  h: number
  /** Width of the top edge: the widest box that fits inside the whole level. */
  topWidth: number
  /** Height of the level title in its longest language. */
  titleH: number
  rows: FlowRow[]
}

/**
 * Lays the pyramid out top-down: level 5's top edge has a fixed width; each level's content
 * (sized for every language at once) decides its height; its bottom edge, the top edge of the
 * level below, follows from tldraw's trapezoid slope. All geometry, prompts included, is
 * therefore the same in every language (TPL-4, TPL-9).
 */
function computeLayout(): { levels: LevelLayout[]; size: Size; pyramidTop: number } {
  const levels: LevelLayout[] = []
  let topWidth = TOP_EDGE_WIDTH
  for (const level of [...PYRAMID_LEVELS].reverse()) {
    const safe = topWidth - 2 * PAD_X
    const rows = bestRows(level, safe)
    const titleH = maxOver((lang) => estimateTextHeight(levelTitle(level, lang), safe, TYPE.zoneTitle))
    const h = Math.ceil(PAD_TOP + titleH + 10 + rows.reduce((s, r) => s + rowHeight(r), 0) + NOTE_BAND)
    const w = topWidth + 2 * TRAPEZOID_INSET * h
    levels.push({ level, x: 0, y: 0, w, h, topWidth, titleH, rows })
    topWidth = w
  }
  levels.reverse() // bottom (level 1) first again
  const bottomWidth = levels[0]!.w
  const pyramidTop = MARGIN + headerHeight(TITLE, SUBTITLE, bottomWidth) + HEADER_GAP
  let y = pyramidTop + levels.reduce((s, l) => s + l.h, 0)
  for (const l of levels) {
    y -= l.h
    l.y = y
    l.x = MARGIN + (bottomWidth - l.w) / 2
  }
  const size = {
    w: Math.ceil(bottomWidth + 2 * MARGIN),
    h: Math.ceil(pyramidTop + levels.reduce((s, l) => s + l.h, 0) + MARGIN),
  }
  return { levels, size, pyramidTop }
}

const LAYOUT = computeLayout()

const ZONES: readonly ZoneDefinition[] = PYRAMID_LEVELS.map((l) => zoneDef(l.id, l.label, l.phraseEn))

function draw(canvas: TemplateCanvas, lang: Language) {
  drawHeader(canvas, TITLE, SUBTITLE, LAYOUT.size.w - 2 * MARGIN, lang)
  for (const l of LAYOUT.levels) {
    const { level } = l
    canvas.zone(level.id, { x: l.x, y: l.y, w: l.w, h: l.h }, { color: level.color, geo: 'trapezoid' })
    const inset = TRAPEZOID_INSET * Math.min(l.w, l.h)
    const safeX = l.x + inset + PAD_X
    const safeW = l.topWidth - 2 * PAD_X
    let y = l.y + PAD_TOP
    canvas.label(
      `${level.id}.title`,
      levelTitle(level, lang),
      { x: safeX, y, w: safeW },
      { ...TYPE.zoneTitle, textAlign: 'middle' },
      { role: 'zoneTitle', zone: level.id },
    )
    y += l.titleH + 10
    for (const row of l.rows) {
      const left = safeX + (safeW - row.width) / 2
      for (const item of row.items) {
        canvas.label(
          `${level.id}.${item.element ?? `group.${item.group}`}`,
          item.text[lang],
          { x: left + item.x, y, w: item.w },
          // A group header hugs its first element, whatever room its slot leaves in this language.
          item.role === 'element' ? { ...TYPE.prompt, textAlign: 'middle' } : { ...TYPE.header, textAlign: 'end' },
          {
            role: item.role,
            zone: level.id,
            group: item.group,
            ...(item.element ? { element: item.element } : {}),
          },
        )
      }
      y += rowHeight(row)
    }
  }
}

/** The pyramid template. */
export const pyramid: TemplateDefinition = {
  kind: 'pyramid',
  title: TITLE,
  size: LAYOUT.size,
  zones: ZONES,
  draw,
}
