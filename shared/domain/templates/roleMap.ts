/**
 * The role map (seeds 002 and 003): who does what, at every stage from design to delivery.
 * Columns provider | shared | customer, rows design, onboarding/transition, delivery/operation,
 * improvement. Every cell is a zone `<row>.<column>` (e.g. `design.shared`), prompted with the
 * provider's and the consumer's activities from ITIL 4 (seed 003) and, in the shared column,
 * with what seed 002 says joint value creation needs. Russian prompts quote seed 003.
 */
import type { TLDefaultColorStyle } from '@tldraw/tlschema'
import type { Language, Localized } from '../../i18n/languages.ts'
import { estimateBoxLabelHeight, estimateTextHeight, TYPE, type TextStyle } from '../layout.ts'
import type { TemplateCanvas } from './canvas.ts'
import { drawHeader, HEADER_GAP, headerHeight, loc, MARGIN, maxOverLanguages, zoneDef } from './text.ts'
import type { Size, TemplateDefinition, ZoneDefinition } from './types.ts'

/** Role map columns. */
export type RoleColumn = 'provider' | 'shared' | 'customer'
/** Role map rows (stages). */
export type RoleRow = 'design' | 'transition' | 'delivery' | 'improvement'

/** Role map columns, left to right. */
export const ROLE_COLUMNS: readonly { id: RoleColumn; label: Localized; adjEn: string; color: TLDefaultColorStyle }[] = [
  { id: 'provider', label: loc('Provider', 'Palveluntarjoaja', 'Teenusepakkuja', 'Поставщик'), adjEn: 'provider', color: 'blue' },
  { id: 'shared', label: loc('Together', 'Yhdessä', 'Ühiselt', 'Совместно'), adjEn: 'shared', color: 'green' },
  { id: 'customer', label: loc('Customer', 'Asiakas', 'Klient', 'Клиент'), adjEn: 'customer', color: 'orange' },
]

/** Role map rows (stages), top to bottom. */
export const ROLE_ROWS: readonly { id: RoleRow; label: Localized; nounEn: string }[] = [
  { id: 'design', label: loc('Design', 'Suunnittelu', 'Kavandamine', 'Проектирование'), nounEn: 'design' },
  {
    id: 'transition',
    label: loc('Onboarding / transition', 'Käyttöönotto / siirtymä', 'Juurutamine / üleminek', 'Внедрение / переход'),
    nounEn: 'onboarding',
  },
  {
    id: 'delivery',
    label: loc('Delivery / operation', 'Toimitus / käyttö', 'Osutamine / käitamine', 'Предоставление / эксплуатация'),
    nounEn: 'delivery',
  },
  {
    id: 'improvement',
    label: loc('Improvement', 'Jatkuva parantaminen', 'Parendamine', 'Совершенствование'),
    nounEn: 'improvement',
  },
]

/** The prompt of every cell, by zone id. */
export const ROLE_PROMPTS: Readonly<Record<`${RoleRow}.${RoleColumn}`, Localized>> = {
  'design.provider': loc(
    'Manage the provider’s resources configured to deliver the service: servers, infrastructure, information, technology, practices',
    'Palvelun tuottamiseen konfiguroitujen resurssien hallinta: palvelimet, infrastruktuuri, tieto, teknologia, käytännöt',
    'Teenuse osutamiseks seadistatud ressursside haldamine: serverid, taristu, teave, tehnoloogia, praktikad',
    'Управление ресурсами поставщика, сконфигурированными для предоставления услуги: серверы, инфраструктура, информация, технологии, практики',
  ),
  'design.shared': loc(
    'Jointly defined, clear roles; tasks divided from the point of view of the value created for the customer',
    'Yhteisesti määritellyt selkeät roolit; työtehtävät määritelty asiakkaalle tuotetun arvon näkökulmasta',
    'Ühiselt määratletud selged rollid; ülesanded jagatud kliendile loodava väärtuse vaatenurgast',
    'Совместно определённые чёткие роли; задачи распределены с точки зрения ценности, создаваемой для клиента',
  ),
  'design.customer': loc(
    'Manage the customer’s own resources needed to consume the service (e.g. the language skills for foreign-language content)',
    'Asiakkaan omien, palvelun käyttämiseen tarvittavien resurssien hallinta (esim. kielitaito vieraskieliseen sisältöön)',
    'Kliendi enda ressursside haldamine, mida teenuse kasutamiseks vaja on (nt keeleoskus võõrkeelse sisu jaoks)',
    'Управление ресурсами потребителя, необходимыми для потребления услуги (например, умение читать на языке контента)',
  ),
  'transition.provider': loc(
    'Give users access to the resources (e.g. the mobile network or network storage)',
    'Käyttäjien pääsy resursseihin (esim. mobiiliverkkoon tai verkkotallennustilaan)',
    'Kasutajatele ressurssidele juurdepääsu andmine (nt mobiilsidevõrk või võrgusalvestus)',
    'Предоставление пользователям доступа к ресурсам (например, к мобильной сети или сетевому хранилищу)',
  ),
  'transition.shared': loc(
    'The right account teams on both sides, supporting the value the customer experiences',
    'Oikeanlaiset asiakkuustiimit, jotka tukevat asiakkaan kokemaa arvoa mahdollisimman hyvin',
    'Õiged kliendimeeskonnad mõlemal poolel, mis toetavad kliendi kogetud väärtust',
    'Правильные команды по работе с клиентом с обеих сторон, поддерживающие ценность, которую ощущает клиент',
  ),
  'transition.customer': loc(
    'Learn to use the provider’s resources (e.g. know how to use an ATM to withdraw or deposit money)',
    'Palveluntarjoajan resurssien käytön opettelu (esim. osata käyttää pankkiautomaattia)',
    'Teenusepakkuja ressursside kasutamise õppimine (nt oskus kasutada pangaautomaati)',
    'Умение пользоваться ресурсами поставщика (например, банкоматом, чтобы получить или внести деньги)',
  ),
  'delivery.provider': loc(
    'Perform the agreed service actions (e.g. service desk support for users)',
    'Sovittujen palvelutoimenpiteiden suorittaminen (esim. Service Deskin käyttäjätuki)',
    'Kokkulepitud teenusetoimingute tegemine (nt Service Deski kasutajatugi)',
    'Выполнение согласованных сервисных операций (например, поддержка пользователей Service Desk)',
  ),
  'delivery.shared': loc(
    'Name what blocks value: usually both the provider and the customer need to look in the mirror',
    'Asiat, jotka estävät arvon syntymistä: ne vaativat useimmiten peiliin katsomista sekä palveluntarjoajalta että asiakkaalta',
    'Nimetage, mis takistab väärtuse teket: enamasti peavad peeglisse vaatama nii teenusepakkuja kui ka klient',
    'Назовите, что мешает созданию ценности: обычно в зеркало приходится посмотреть и поставщику, и клиенту',
  ),
  'delivery.customer': loc(
    'Use the provider’s resources and request service actions (e.g. contact support when the service fails)',
    'Palveluntarjoajan resurssien käyttö ja palvelupyynnöt (esim. yhteydenotto tukeen, kun palvelu ei toimi)',
    'Teenusepakkuja ressursside kasutamine ja teenusetaotlused (nt pöördumine kasutajatoe poole, kui teenus ei toimi)',
    'Использование ресурсов поставщика и запросы на сервисные операции (например, обращение в службу поддержки, если услуга сбоит)',
  ),
  'improvement.provider': loc(
    'Manage service performance and continual improvement (own initiatives, feedback from users)',
    'Palvelun suorituskyvyn hallinta ja jatkuva parantaminen (omat aloitteet, käyttäjien palaute)',
    'Teenuse tulemuslikkuse juhtimine ja pidev parendamine (omad algatused, kasutajate tagasiside)',
    'Управление эффективностью услуг и постоянное совершенствование (собственные инициативы, обратная связь от пользователей)',
  ),
  'improvement.shared': loc(
    'A dialogue at every stage, from design to delivery, where the rights and duties of both sides are handled together',
    'Vuoropuhelu jokaisessa vaiheessa suunnittelusta toimitukseen: molempien oikeudet ja velvollisuudet käsitellään yhdessä',
    'Dialoog igas etapis kavandamisest osutamiseni: mõlema poole õigusi ja kohustusi käsitletakse koos',
    'Диалог на каждом этапе от проектирования до предоставления услуг: права и обязанности каждой из сторон рассматриваются совместно',
  ),
  'improvement.customer': loc(
    'Give feedback. Do users realise their share of responsibility for getting value from the service?',
    'Palautteen antaminen. Ymmärtävätkö käyttäjät oman vastuunsa siitä, että palvelusta syntyy arvoa?',
    'Tagasiside andmine. Kas kasutajad mõistavad oma osa vastutusest teenusest väärtuse saamisel?',
    'Обратная связь. Всегда ли пользователи осознают свою часть ответственности за получение ценности от сервисных отношений?',
  ),
}

const TITLE = loc(
  'Role map: who does what',
  'Roolikartta: kuka tekee mitä',
  'Rollikaart: kes mida teeb',
  'Карта ролей: кто что делает',
)

const SUBTITLE = loc(
  'Value is created together. For every stage from design to delivery, note what the provider does, what the customer does and what you do together.',
  'Arvo syntyy yhdessä. Kirjatkaa jokaiselle vaiheelle suunnittelusta toimitukseen, mitä palveluntarjoaja tekee, mitä asiakas tekee ja mitä teette yhdessä.',
  'Väärtust luuakse ühiselt. Kirjutage iga etapi kohta kavandamisest osutamiseni, mida teeb teenusepakkuja, mida klient ja mida teete koos.',
  'Ценность создаётся совместно. Для каждого этапа от проектирования до предоставления услуг запишите, что делает поставщик, что делает потребитель и что вы делаете вместе.',
)

const ROW_HEADER_W = 420
const CELL_W = 1000
const PAD = 30
/** Free height under the prompt for a row of notes. */
const NOTE_BAND = 210
const HEADER_BOX: TextStyle = { size: 'l', scale: 1.25, bold: true }

const ZONES: readonly ZoneDefinition[] = ROLE_ROWS.flatMap((row) =>
  ROLE_COLUMNS.map((col) =>
    zoneDef(
      `${row.id}.${col.id}`,
      {
        en: `${row.label.en} – ${col.label.en}`,
        fi: `${row.label.fi} – ${col.label.fi}`,
        et: `${row.label.et} – ${col.label.et}`,
        ru: `${row.label.ru} – ${col.label.ru}`,
      },
      `${col.adjEn} ${row.nounEn} activity`,
    ),
  ),
)

const promptH = (zone: `${RoleRow}.${RoleColumn}`) =>
  maxOverLanguages((l) => estimateTextHeight(ROLE_PROMPTS[zone][l], CELL_W - 2 * PAD, TYPE.prompt))

function computeLayout() {
  const gridW = ROW_HEADER_W + ROLE_COLUMNS.length * CELL_W
  const top = MARGIN + headerHeight(TITLE, SUBTITLE, gridW) + HEADER_GAP
  const colHeaderH = Math.ceil(
    Math.max(
      ...ROLE_COLUMNS.map((c) =>
        maxOverLanguages((l) => estimateBoxLabelHeight(c.label[l], CELL_W, HEADER_BOX)),
      ),
    ),
  )
  let y = top + colHeaderH
  const rows = ROLE_ROWS.map((row) => {
    const h = Math.ceil(
      Math.max(
        PAD + Math.max(...ROLE_COLUMNS.map((c) => promptH(`${row.id}.${c.id}`))) + 16 + NOTE_BAND,
        maxOverLanguages((l) => estimateBoxLabelHeight(row.label[l], ROW_HEADER_W, HEADER_BOX)),
      ),
    )
    const r = { row, y, h }
    y += h
    return r
  })
  const size: Size = { w: gridW + 2 * MARGIN, h: y + MARGIN }
  return { top, colHeaderH, rows, size, gridW }
}

const LAYOUT = computeLayout()

function draw(canvas: TemplateCanvas, lang: Language) {
  drawHeader(canvas, TITLE, SUBTITLE, LAYOUT.gridW, lang)
  const x0 = MARGIN + ROW_HEADER_W
  ROLE_COLUMNS.forEach((col, c) => {
    canvas.labelBox(
      `column.${col.id}`,
      col.label[lang],
      { x: x0 + c * CELL_W, y: LAYOUT.top, w: CELL_W, h: LAYOUT.colHeaderH },
      { ...HEADER_BOX, color: col.color },
      { role: 'columnHeader' },
    )
  })
  for (const { row, y, h } of LAYOUT.rows) {
    canvas.labelBox(
      `row.${row.id}`,
      row.label[lang],
      { x: MARGIN, y, w: ROW_HEADER_W, h },
      { ...HEADER_BOX, color: 'grey' },
      { role: 'rowHeader' },
    )
    ROLE_COLUMNS.forEach((col, c) => {
      const zone = `${row.id}.${col.id}` as const
      const x = x0 + c * CELL_W
      canvas.zone(zone, { x, y, w: CELL_W, h }, { color: col.color })
      canvas.label(
        `${zone}.prompt`,
        ROLE_PROMPTS[zone][lang],
        { x: x + PAD, y: y + PAD, w: CELL_W - 2 * PAD },
        TYPE.prompt,
        { role: 'prompt', zone },
      )
    })
  }
}

/** The role map template. */
export const roleMap: TemplateDefinition = {
  kind: 'roleMap',
  title: TITLE,
  size: LAYOUT.size,
  zones: ZONES,
  draw,
}
