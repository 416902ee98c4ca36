/**
 * The action plan, prompted by seed 001's five easy ways to add value (plus a row for the
 * workshop's own idea). Columns: the way (a prompt) | actions | owner side | owner | due date.
 * Every cell of the four right-hand columns is a zone `<way>.<column>` (e.g.
 * `reassure.action`, `anticipate.owner`). Notes may also carry `owner`, `ownerSide` and `due`
 * in their meta (META-6); the columns are where a workshop writes them on the wall.
 * Finnish prompts quote seed 001.
 */
import type { TLDefaultColorStyle } from '@tldraw/tlschema'
import type { Language, Localized } from '../../i18n/languages.ts'
import { estimateBoxLabelHeight, TYPE, type TextStyle } from '../layout.ts'
import type { TemplateCanvas } from './canvas.ts'
import { drawHeader, HEADER_GAP, headerHeight, loc, MARGIN, maxOverLanguages, zoneDef } from './text.ts'
import type { Size, TemplateDefinition, ZoneDefinition } from './types.ts'

/** Action plan rows: the five easy ways of seed 001, then the workshop's own idea. */
export type ActionWay = 'reassure' | 'anticipate' | 'helpSucceed' | 'trainCustomers' | 'trainNewUsers' | 'other'
/** Action plan zone columns. */
export type ActionColumn = 'action' | 'ownerSide' | 'owner' | 'due'

/** The action plan's rows, top to bottom: prompt (numbered, seed 001) and short name. */
export const ACTION_WAYS: readonly { id: ActionWay; prompt: Localized; short: Localized }[] = [
  {
    id: 'reassure',
    prompt: loc(
      '1. Reassure the customer after the purchase decision that it was the right one',
      '1. Tue asiakasta hänen ostopäätöksensä jälkeen vahvistamalla hänelle oston olleen oikea päätös',
      '1. Toeta klienti pärast ostuotsust, kinnitades, et see oli õige otsus',
      '1. Поддержите клиента после решения о покупке, подтвердив, что решение было верным',
    ),
    short: loc('Reassure after the purchase', 'Ostopäätöksen vahvistaminen', 'Ostuotsuse kinnitamine', 'Поддержка после покупки'),
  },
  {
    id: 'anticipate',
    prompt: loc(
      '2. Anticipate the customer’s future needs from their present ones',
      '2. Ennakoi asiakkaan tulevaisuuden tarpeet hänen nykyisten tarpeidensa perusteella',
      '2. Ennusta kliendi tulevasi vajadusi tema praeguste vajaduste põhjal',
      '2. Предугадайте будущие потребности клиента по его нынешним потребностям',
    ),
    short: loc('Anticipate future needs', 'Tulevien tarpeiden ennakointi', 'Tulevaste vajaduste ennustamine', 'Будущие потребности'),
  },
  {
    id: 'helpSucceed',
    prompt: loc(
      '3. Help the customer succeed by stressing the features they benefit from most',
      '3. Auta asiakasta onnistumaan tavoitteissaan korostamalla palvelun ominaisuuksia, joista asiakas erityisesti hyötyy',
      '3. Aita kliendil eesmärke saavutada, rõhutades teenuse omadusi, millest ta enim kasu saab',
      '3. Помогите клиенту добиться целей, подчёркивая свойства услуги, которые ему особенно полезны',
    ),
    short: loc('Help them succeed', 'Onnistumisen tukeminen', 'Edu toetamine', 'Помощь в достижении целей'),
  },
  {
    id: 'trainCustomers',
    prompt: loc(
      '4. Train customers to get the most out of the service, and correct wrong ways of using it',
      '4. Kouluta asiakkaita palvelusi käytön hyötyjen maksimoimiseksi ja korjaa mahdollisia virheellisiä käyttötapoja',
      '4. Koolita kliente teenusest suurimat kasu saama ja paranda valed kasutusviisid',
      '4. Обучайте клиентов извлекать из услуги максимум пользы и исправляйте неверные способы её использования',
    ),
    short: loc('Train customers', 'Asiakkaiden kouluttaminen', 'Klientide koolitamine', 'Обучение клиентов'),
  },
  {
    id: 'trainNewUsers',
    prompt: loc(
      '5. Train the customer’s new users on current and new features',
      '5. Kouluta asiakkaan uusia käyttäjiä nykyisten ja uusien ominaisuuksien hyödyntämiseksi',
      '5. Koolita kliendi uusi kasutajaid olemasolevaid ja uusi funktsioone kasutama',
      '5. Обучайте новых пользователей клиента текущим и новым функциям',
    ),
    short: loc('Train new users', 'Uusien käyttäjien kouluttaminen', 'Uute kasutajate koolitamine', 'Обучение новых пользователей'),
  },
  {
    id: 'other',
    prompt: loc(
      'Another way to add value: our own idea',
      'Muu keino luoda lisäarvoa: oma ideamme',
      'Muu viis lisaväärtust luua: meie oma idee',
      'Другой способ добавить ценность: наша идея',
    ),
    short: loc('Our own idea', 'Oma idea', 'Oma idee', 'Наша идея'),
  },
]

/** The action plan's zone columns, left to right (after the prompt column). */
export const ACTION_COLUMNS: readonly {
  id: ActionColumn
  label: Localized
  nounEn: string
  width: number
  color: TLDefaultColorStyle
}[] = [
  { id: 'action', label: loc('Actions', 'Toimenpiteet', 'Tegevused', 'Действия'), nounEn: 'action', width: 1100, color: 'green' },
  {
    id: 'ownerSide',
    label: loc('Owner side', 'Vastuussa oleva osapuoli', 'Vastutav pool', 'Ответственная сторона'),
    nounEn: 'owner side',
    width: 420,
    color: 'light-blue',
  },
  { id: 'owner', label: loc('Owner', 'Vastuuhenkilö', 'Vastutaja', 'Ответственный'), nounEn: 'owner', width: 440, color: 'light-blue' },
  { id: 'due', label: loc('Due date', 'Määräaika', 'Tähtaeg', 'Срок'), nounEn: 'due date', width: 400, color: 'light-blue' },
]

const WAY_HEADER = loc('Way to add value', 'Keino luoda lisäarvoa', 'Viis lisaväärtust luua', 'Способ добавить ценность')

const TITLE = loc(
  'Action plan: five easy ways to add value',
  'Toimintasuunnitelma: 5 helppoa keinoa luoda lisäarvoa palvelussa',
  'Tegevuskava: viis lihtsat viisi lisaväärtuse loomiseks',
  'План действий: пять простых способов добавить ценность',
)

const SUBTITLE = loc(
  'For each way, agree on concrete actions: which side owns each one, who exactly, and by when.',
  'Sopikaa kullekin keinolle konkreettiset toimenpiteet: kumpi osapuoli vastaa, kuka tarkalleen ja mihin mennessä.',
  'Leppige iga viisi jaoks kokku konkreetsed tegevused: kumb pool vastutab, kes täpselt ja mis ajaks.',
  'Для каждого способа договоритесь о конкретных действиях: какая сторона отвечает, кто именно и к какому сроку.',
)

const WAY_W = 620
/** Rows are at least this tall: a note (200) with room around it. */
const MIN_ROW_H = 250
const HEADER_STYLE: TextStyle = { ...TYPE.header }
const WAY_STYLE: TextStyle = { size: 'm', scale: 1.25 }

const ZONES: readonly ZoneDefinition[] = ACTION_WAYS.flatMap((way) =>
  ACTION_COLUMNS.map((col) =>
    zoneDef(
      `${way.id}.${col.id}`,
      {
        en: `${col.label.en} – ${way.short.en}`,
        fi: `${col.label.fi} – ${way.short.fi}`,
        et: `${col.label.et} – ${way.short.et}`,
        ru: `${col.label.ru} – ${way.short.ru}`,
      },
      `${col.nounEn} for “${way.short.en}”`,
    ),
  ),
)

function computeLayout() {
  const gridW = WAY_W + ACTION_COLUMNS.reduce((s, c) => s + c.width, 0)
  const top = MARGIN + headerHeight(TITLE, SUBTITLE, gridW) + HEADER_GAP
  const headerTexts = [WAY_HEADER, ...ACTION_COLUMNS.map((c) => c.label)]
  const widths = [WAY_W, ...ACTION_COLUMNS.map((c) => c.width)]
  const headerH = Math.ceil(
    Math.max(
      ...headerTexts.map((t, i) => maxOverLanguages((l) => estimateBoxLabelHeight(t[l], widths[i]!, HEADER_STYLE))),
    ),
  )
  let y = top + headerH
  const rows = ACTION_WAYS.map((way) => {
    const h = Math.ceil(
      Math.max(MIN_ROW_H, maxOverLanguages((l) => estimateBoxLabelHeight(way.prompt[l], WAY_W, WAY_STYLE))),
    )
    const row = { way, y, h }
    y += h
    return row
  })
  const size: Size = { w: gridW + 2 * MARGIN, h: y + MARGIN }
  return { gridW, top, headerH, rows, size }
}

const LAYOUT = computeLayout()

function draw(canvas: TemplateCanvas, lang: Language) {
  drawHeader(canvas, TITLE, SUBTITLE, LAYOUT.gridW, lang)
  canvas.labelBox(
    'column.way',
    WAY_HEADER[lang],
    { x: MARGIN, y: LAYOUT.top, w: WAY_W, h: LAYOUT.headerH },
    { ...HEADER_STYLE, color: 'violet' },
    { role: 'columnHeader' },
  )
  let x = MARGIN + WAY_W
  for (const col of ACTION_COLUMNS) {
    canvas.labelBox(
      `column.${col.id}`,
      col.label[lang],
      { x, y: LAYOUT.top, w: col.width, h: LAYOUT.headerH },
      { ...HEADER_STYLE, color: col.color },
      { role: 'columnHeader' },
    )
    x += col.width
  }
  for (const { way, y, h } of LAYOUT.rows) {
    canvas.labelBox(
      `row.${way.id}`,
      way.prompt[lang],
      { x: MARGIN, y, w: WAY_W, h },
      { ...WAY_STYLE, color: 'violet', align: 'start' },
      { role: 'rowHeader' },
    )
    let cx = MARGIN + WAY_W
    for (const col of ACTION_COLUMNS) {
      canvas.zone(`${way.id}.${col.id}`, { x: cx, y, w: col.width, h }, { color: col.color })
      cx += col.width
    }
  }
}

/** The action plan template. */
export const actionPlan: TemplateDefinition = {
  kind: 'actionPlan',
  title: TITLE,
  size: LAYOUT.size,
  zones: ZONES,
  draw,
}
