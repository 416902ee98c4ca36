/**
 * The customer value staircase (seed 004): information → understanding → relevance →
 * differentiation → delivering the promise, climbing from left to right. Each step is a zone
 * and carries one rating shape per side (META-5), so that the provider's and the customer's
 * ratings never overwrite each other; the gap between them is the conversation to have.
 * Finnish wording quotes seed 004.
 */
import type { Side } from '../../protocol.ts'
import type { Language, Localized } from '../../i18n/languages.ts'
import { MESSAGES } from '../../i18n/messages.ts'
import { estimateBoxLabelHeight, estimateTextHeight, TYPE, type TextStyle } from '../layout.ts'
import { SIDE_COLORS, type RatingValue } from '../types.ts'
import { RATING_LABEL_SCALE, type TemplateCanvas } from './canvas.ts'
import { drawHeader, HEADER_GAP, headerHeight, loc, MARGIN, maxOverLanguages, zoneDef } from './text.ts'
import type { Size, TemplateDefinition, ZoneDefinition } from './types.ts'

/** Staircase step ids, bottom (left) to top (right). */
export type StaircaseStep = 'information' | 'understanding' | 'relevance' | 'differentiation' | 'delivery'

/** The five steps, bottom-left to top-right, with seed 004's description of each. */
export const STAIRCASE_STEPS: readonly {
  id: StaircaseStep
  label: Localized
  description: Localized
  phraseEn: string
}[] = [
  {
    id: 'information',
    label: loc('Information', 'Tieto', 'Teave', 'Информация'),
    description: loc(
      'Enough information about the offered value: easy to find, clear, right where the customer looks for it.',
      'Asiakkaalla on oltava riittävästi tietoa tarjottavasta arvosta helposti, selkeästi ja juuri siellä, mistä asiakas sitä osaa etsiä.',
      'Kliendil on piisavalt teavet pakutavast väärtusest: lihtsalt, selgelt ja just seal, kust ta seda otsib.',
      'У клиента достаточно информации о предлагаемой ценности: просто, понятно и именно там, где он её ищет.',
    ),
    phraseEn: 'point about information',
  },
  {
    id: 'understanding',
    label: loc('Understanding', 'Ymmärrys', 'Mõistmine', 'Понимание'),
    description: loc(
      'The value is described in the customer’s language, including the customer’s own role in creating it.',
      'Arvosta on viestittävä ymmärrettävästi asiakkaan kielellä – myös asiakkaan oma rooli arvon syntymisessä.',
      'Väärtust kirjeldatakse kliendi keeles, sealhulgas kliendi enda rolli väärtuse loomisel.',
      'Ценность описана на языке клиента, включая его собственную роль в её создании.',
    ),
    phraseEn: 'point about understanding',
  },
  {
    id: 'relevance',
    label: loc('Relevance', 'Merkitys', 'Olulisus', 'Значимость'),
    description: loc(
      'The value matters to this particular customer. Customers differ: what matters to one is secondary to another.',
      'Arvolla on oltava merkitystä juuri tälle asiakkaalle. Asiakkaat eroavat: se mikä toiselle on merkityksellistä, on toiselle toisarvoista.',
      'Väärtus on oluline just sellele kliendile. Kliendid on erinevad: mis ühele on oluline, on teisele teisejärguline.',
      'Ценность важна именно этому клиенту. Клиенты различаются: что важно одному, второстепенно для другого.',
    ),
    phraseEn: 'point about relevance',
  },
  {
    id: 'differentiation',
    label: loc('Differentiation', 'Erottuminen', 'Eristumine', 'Отличие'),
    description: loc(
      'The customer experiences the value as different from what others offer, in a way that matters to them.',
      'Asiakkaan on koettava, että hänelle tuotettu arvo poikkeaa muiden toimijoiden tuottamasta arvosta hänelle merkityksellisellä tavalla.',
      'Klient kogeb, et talle loodud väärtus erineb teiste pakutavast talle olulisel viisil.',
      'Клиент ощущает, что получаемая им ценность отличается от того, что предлагают другие, и важным для него образом.',
    ),
    phraseEn: 'point about differentiation',
  },
  {
    id: 'delivery',
    label: loc('Delivering the promise', 'Lunastus', 'Lubaduse täitmine', 'Выполнение обещания'),
    description: loc(
      'The value promise is kept continuously, day after day: a trait of company culture, and so hard to copy.',
      'Arvolupaus on kyettävä lunastamaan jatkuvasti, päivästä ja viikosta toiseen – yrityskulttuurin ominaisuus, jota ei kopioida nopeasti.',
      'Väärtuslubadust peetakse pidevalt, päevast päeva: see on ettevõttekultuuri omadus, mida on raske kopeerida.',
      'Обещание ценности выполняется постоянно, день за днём: это черта корпоративной культуры, и её трудно скопировать.',
    ),
    phraseEn: 'point about delivering the promise',
  },
]

const TITLE = loc(
  'Customer value staircase',
  'Asiakasarvon portaat',
  'Kliendiväärtuse trepp',
  'Лестница ценности для клиента',
)

const SUBTITLE = loc(
  'Value must meet all five criteria at once. Each side rates every step from 1 to 5; the gap between the ratings is the conversation to have.',
  'Arvon on täytettävä yhtä aikaa kaikki viisi kriteeriä. Kumpikin osapuoli arvioi jokaisen portaan asteikolla 1–5; arvioiden ero on keskustelu, joka kannattaa käydä.',
  'Väärtus peab täitma korraga kõik viis kriteeriumi. Kumbki pool hindab iga astet 1–5; hinnangute vahe on see, millest tasub rääkida.',
  'Ценность должна одновременно отвечать всем пяти критериям. Каждая сторона оценивает каждую ступень от 1 до 5; разница в оценках и есть тема для разговора.',
)

const STEP_W = 680
const PAD = 30
const PAD_TOP = 22
/** Each step is this much taller than the one before. */
const RISE = 100
/** Height of a rating shape (its label must fit, or tldraw grows it). */
export const RATING_H = 84
const RATING_GAP = 10
/** Free height at the bottom of the lowest step for a row of notes. */
const NOTE_BAND = 220
/** Style of a rating shape's label (geo label, size s × 1.4 ≈ 25 px). */
export const RATING_STYLE: TextStyle = { size: 's', scale: RATING_LABEL_SCALE }

const SIDES_IN_ORDER: readonly Side[] = ['provider', 'customer']

/**
 * The text a rating shape shows, e.g. "Provider: ★★★☆☆ 3/5" or "Customer: ☆☆☆☆☆ (not rated)".
 *
 * @param side - Whose rating.
 * @param value - 0 (not rated) to 5.
 * @param lang - The template's language.
 */
export function ratingText(side: Side, value: RatingValue, lang: Language): string {
  const m = MESSAGES[lang]
  const who = side === 'provider' ? m.sideProvider : m.sideCustomer
  const stars = '★'.repeat(value) + '☆'.repeat(5 - value)
  return value === 0 ? `${who}: ${stars} (${m.notRated})` : `${who}: ${stars} ${value}/5`
}

const stepTitle = (i: number, lang: Language) => `${i + 1} · ${STAIRCASE_STEPS[i]!.label[lang]}`

const ZONES: readonly ZoneDefinition[] = STAIRCASE_STEPS.map((s) => zoneDef(s.id, s.label, s.phraseEn))

function computeLayout() {
  const contentW = STEP_W - 2 * PAD
  const width = STAIRCASE_STEPS.length * STEP_W
  const titleH = maxOverLanguages((l) =>
    Math.max(...STAIRCASE_STEPS.map((_, i) => estimateTextHeight(stepTitle(i, l), contentW, TYPE.zoneTitle))),
  )
  const descH = maxOverLanguages((l) =>
    Math.max(...STAIRCASE_STEPS.map((s) => estimateTextHeight(s.description[l], contentW, TYPE.prompt))),
  )
  const ratingLabelH = maxOverLanguages((l) =>
    Math.max(...SIDES_IN_ORDER.map((side) => estimateBoxLabelHeight(ratingText(side, 0, l), contentW, RATING_STYLE))),
  )
  if (ratingLabelH > RATING_H) throw new Error('staircase rating label does not fit its shape')
  const contentH = Math.ceil(PAD_TOP + titleH + 8 + descH + 16 + 2 * RATING_H + RATING_GAP + 16)
  const baseH = contentH + NOTE_BAND
  const top = MARGIN + headerHeight(TITLE, SUBTITLE, width) + HEADER_GAP
  const bottom = top + baseH + (STAIRCASE_STEPS.length - 1) * RISE
  const size: Size = { w: width + 2 * MARGIN, h: bottom + MARGIN }
  return { contentW, titleH, descH, baseH, bottom, size, width }
}

const LAYOUT = computeLayout()

function draw(canvas: TemplateCanvas, lang: Language) {
  drawHeader(canvas, TITLE, SUBTITLE, LAYOUT.width, lang)
  STAIRCASE_STEPS.forEach((step, i) => {
    const h = LAYOUT.baseH + i * RISE
    const x = MARGIN + i * STEP_W
    const y = LAYOUT.bottom - h
    canvas.zone(step.id, { x, y, w: STEP_W, h }, { color: 'green' })
    let cy = y + PAD_TOP
    canvas.label(
      `${step.id}.title`,
      stepTitle(i, lang),
      { x: x + PAD, y: cy, w: LAYOUT.contentW },
      TYPE.zoneTitle,
      { role: 'zoneTitle', zone: step.id },
    )
    cy += LAYOUT.titleH + 8
    canvas.label(
      `${step.id}.description`,
      step.description[lang],
      { x: x + PAD, y: cy, w: LAYOUT.contentW },
      TYPE.prompt,
      { role: 'prompt', zone: step.id },
    )
    cy += LAYOUT.descH + 16
    for (const side of SIDES_IN_ORDER) {
      canvas.rating(
        step.id,
        side,
        { x: x + PAD, y: cy, w: LAYOUT.contentW, h: RATING_H },
        0,
        ratingText(side, 0, lang),
        SIDE_COLORS[side],
        lang,
      )
      cy += RATING_H + RATING_GAP
    }
  })
}

/** The staircase template. */
export const staircase: TemplateDefinition = {
  kind: 'staircase',
  title: TITLE,
  size: LAYOUT.size,
  zones: ZONES,
  draw,
}
