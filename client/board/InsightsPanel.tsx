import { useState } from 'react'
import { t, type Language, sideName } from '../../shared/i18n/index.ts'
import type { Side } from '../../shared/protocol.ts'
import type { ActionWayRow, GapRow, InsightsModel, TemplateBlock, ZoneCell } from '../insights/model.ts'
import { sessionStore, useSession } from '../state/session.ts'
import { useInsights } from './context.ts'
import { CollapseButton } from './CollapseButton.tsx'


/** A count in a side's colour; zero is shown muted. */
function Count({ side, n, lang }: { side: Side; n: number; lang: Language }) {
  return (
    <span className={`arvo-pill arvo-pill-${side}${n === 0 ? ' is-zero' : ''}`} aria-label={`${sideName(lang, side)}: ${n}`}>
      {n}
    </span>
  )
}

/** Blue = provider, orange = customer: the note colours of each side. */
export function SideLegend({ lang }: { lang: Language }) {
  return (
    <div className="arvo-legend" data-testid="legend" aria-label={t(lang, 'legend')}>
      <span className="arvo-legend-item">
        <span className="arvo-swatch arvo-swatch-provider" aria-hidden />
        {t(lang, 'legendProviderNotes')}
      </span>
      <span className="arvo-legend-item">
        <span className="arvo-swatch arvo-swatch-customer" aria-hidden />
        {t(lang, 'legendCustomerNotes')}
      </span>
    </div>
  )
}

function BalanceSection({ model, lang }: { model: InsightsModel; lang: Language }) {
  const { balance, warning } = model
  const pct = (side: Side) => Math.round(balance[side].share * 100)
  const [explained, setExplained] = useState(false)
  return (
    <details className="arvo-section" open data-testid="insights-balance">
      <summary>{t(lang, 'balance')}</summary>
      {balance.total === 0 ? (
        <p className="arvo-muted arvo-small">{t(lang, 'noContributionsYet')}</p>
      ) : (
        <div
          className="arvo-balance-bar"
          role="img"
          aria-label={`${sideName(lang, 'provider')} ${pct('provider')}%, ${sideName(lang, 'customer')} ${pct('customer')}%`}
        >
          <span className="arvo-balance-provider" style={{ flexGrow: balance.provider.contributions }}>
            {pct('provider') >= 12 ? `${pct('provider')}%` : ''}
          </span>
          <span className="arvo-balance-customer" style={{ flexGrow: balance.customer.contributions }}>
            {pct('customer') >= 12 ? `${pct('customer')}%` : ''}
          </span>
        </div>
      )}
      <table className="arvo-table">
        <thead>
          <tr>
            <th>
              <button
                type="button"
                className="arvo-help"
                data-testid="balance-help"
                aria-expanded={explained}
                aria-label={t(lang, 'balanceExplainedLabel')}
                title={t(lang, 'balanceExplained')}
                onClick={() => setExplained((v) => !v)}
              >
                ?
              </button>
            </th>
            <th>{t(lang, 'notes')}</th>
            <th>{t(lang, 'edits')}</th>
          </tr>
        </thead>
        <tbody>
          {(['provider', 'customer'] as const).map((side) => (
            <tr
              key={side}
              data-testid="balance-side"
              data-side={side}
              data-notes={balance[side].notes}
              data-edits={balance[side].edits}
            >
              <th scope="row">
                <span className={`arvo-swatch arvo-swatch-${side}`} aria-hidden /> {sideName(lang, side)}
              </th>
              <td>{balance[side].notes}</td>
              <td>{balance[side].edits}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {explained && (
        <p className="arvo-muted arvo-small" data-testid="balance-explained">
          {t(lang, 'balanceExplained')}
        </p>
      )}
      {warning ? (
        <div className={`arvo-warning arvo-warning-${warning.side}`} role="status" data-testid="balance-warning" data-side={warning.side}>
          <strong>⚠ {warning.text}</strong>
          <span>{warning.hint}</span>
        </div>
      ) : (
        balance.total >= 5 && (
          <p className="arvo-ok arvo-small" data-testid="balance-ok">
            ✓ {t(lang, 'balanceEven')}
          </p>
        )
      )}
      {balance.people.length > 0 && (
        // Open for a typical workshop (a few people); a big group folds it away.
        <details className="arvo-subsection" open={balance.people.length <= 4}>
          <summary>{t(lang, 'byPerson')}</summary>
          <ul className="arvo-people">
            {balance.people.map((p) => (
              <li key={`${p.side}:${p.authorId}`} data-testid="balance-person" data-side={p.side}>
                <span className={`arvo-swatch arvo-swatch-${p.side}`} aria-hidden />
                <span className="arvo-person-name" title={`${p.authorName || '—'} (${sideName(lang, p.side)})`}>
                  {p.authorName || '—'}
                </span>
                <span className="arvo-muted">
                  {t(lang, 'notes')} {p.notes} · {t(lang, 'edits')} {p.edits}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {balance.unattributedNotes > 0 && (
        <p className="arvo-muted arvo-small">{t(lang, 'unattributedNotes', { count: balance.unattributedNotes })}</p>
      )}
    </details>
  )
}

function ZoneRow({ c, lang }: { c: ZoneCell; lang: Language }) {
  return (
    <tr
      className={c.empty ? 'is-empty' : undefined}
      data-testid="coverage-zone"
      data-instance={c.instance}
      data-zone={c.zone}
      data-provider={c.provider}
      data-customer={c.customer}
      data-empty={c.empty}
      title={c.empty ? c.emptyMessage : undefined}
    >
      <th scope="row">{c.label}</th>
      <td>
        <Count side="provider" n={c.provider} lang={lang} />
      </td>
      <td>
        <Count side="customer" n={c.customer} lang={lang} />
      </td>
    </tr>
  )
}

function SideHeads({ lang }: { lang: Language }) {
  return (
    <>
      <th>
        <span className="arvo-swatch arvo-swatch-provider" title={sideName(lang, 'provider')} aria-label={sideName(lang, 'provider')} />
      </th>
      <th>
        <span className="arvo-swatch arvo-swatch-customer" title={sideName(lang, 'customer')} aria-label={sideName(lang, 'customer')} />
      </th>
    </>
  )
}

function WayRow({ w, instance, lang }: { w: ActionWayRow; instance: string; lang: Language }) {
  return (
    <tr
      className={w.empty ? 'is-empty' : undefined}
      data-testid="coverage-way"
      data-instance={instance}
      data-way={w.way}
      data-provider={w.provider}
      data-customer={w.customer}
      data-owner={w.withOwner}
      data-due={w.withDue}
      data-empty={w.empty}
    >
      <th scope="row">{w.label}</th>
      <td>
        <Count side="provider" n={w.provider} lang={lang} />
      </td>
      <td>
        <Count side="customer" n={w.customer} lang={lang} />
      </td>
      <td className="arvo-num">{w.total > 0 ? `${w.withOwner}/${w.total}` : '–'}</td>
      <td className="arvo-num">{w.total > 0 ? `${w.withDue}/${w.total}` : '–'}</td>
    </tr>
  )
}

function ZoneListBody({ block, model, lang }: { block: Extract<TemplateBlock, { rows: ZoneCell[] }>; model: InsightsModel; lang: Language }) {
  const messages = model.emptyMessages.filter((e) => e.instance === block.instance)
  return (
    <>
      <table className="arvo-table arvo-coverage">
        <thead>
          <tr>
            <th />
            <SideHeads lang={lang} />
          </tr>
        </thead>
        <tbody>
          {block.rows.map((c) => (
            <ZoneRow key={c.zone} c={c} lang={lang} />
          ))}
        </tbody>
      </table>
      {messages.length > 0 && (
        <ul className="arvo-empty-messages">
          {messages.map((e) => (
            <li key={e.zone} data-testid="empty-zone-message" data-zone={e.zone} data-instance={e.instance}>
              {e.text}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

function RoleMapBody({ block, lang }: { block: Extract<TemplateBlock, { template: 'roleMap' }>; lang: Language }) {
  // Lane (phase) names get a full-width row of their own, so that the three columns
  // (provider, together, customer) have room for their names in every language.
  return (
    <table className="arvo-table arvo-grid">
      <thead>
        <tr>
          {block.columns.map((c) => (
            <th key={c.id} className={`arvo-col-${c.id}`}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      {block.rows.map((r) => (
        <tbody key={r.id} className="arvo-grid-lane">
          <tr>
            <th scope="rowgroup" colSpan={block.columns.length}>
              {r.label}
            </th>
          </tr>
          <tr>
            {block.columns.map((col) => {
              const c = block.cells[`${r.id}.${col.id}`]
              if (!c) return <td key={col.id} />
              return (
                <td
                  key={col.id}
                  className={c.empty ? 'is-empty' : undefined}
                  title={c.empty ? c.emptyMessage : c.label}
                  data-testid="coverage-zone"
                  data-instance={c.instance}
                  data-zone={c.zone}
                  data-provider={c.provider}
                  data-customer={c.customer}
                  data-empty={c.empty}
                >
                  <Count side="provider" n={c.provider} lang={lang} />
                  <Count side="customer" n={c.customer} lang={lang} />
                </td>
              )
            })}
          </tr>
        </tbody>
      ))}
    </table>
  )
}

/** Small line icons (no icon font needed offline). */
function PersonIcon({ label }: { label: string }) {
  return (
    <svg className="arvo-icon" viewBox="0 0 16 16" role="img" aria-label={label}>
      <title>{label}</title>
      <circle cx="8" cy="5" r="3" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M2.5 14.5c.6-3 2.8-4.5 5.5-4.5s4.9 1.5 5.5 4.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  )
}

function CalendarIcon({ label }: { label: string }) {
  return (
    <svg className="arvo-icon" viewBox="0 0 16 16" role="img" aria-label={label}>
      <title>{label}</title>
      <rect x="2" y="3.5" width="12" height="10.5" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M2 7h12M5.5 2v3M10.5 2v3" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  )
}

function ActionPlanBody({ block, lang }: { block: Extract<TemplateBlock, { template: 'actionPlan' }>; lang: Language }) {
  return (
    <table className="arvo-table arvo-coverage">
      <thead>
        <tr>
          <th />
          <SideHeads lang={lang} />
          <th className="arvo-num">
            <PersonIcon label={t(lang, 'actionOwner')} />
          </th>
          <th className="arvo-num">
            <CalendarIcon label={t(lang, 'actionDue')} />
          </th>
        </tr>
      </thead>
      <tbody>
        {block.ways.map((w) => (
          <WayRow key={w.way} w={w} instance={block.instance} lang={lang} />
        ))}
      </tbody>
    </table>
  )
}

function Block({ block, model, lang }: { block: TemplateBlock; model: InsightsModel; lang: Language }) {
  let body
  switch (block.template) {
    case 'pyramid':
    case 'staircase':
      body = <ZoneListBody block={block} model={model} lang={lang} />
      break
    case 'roleMap':
      body = <RoleMapBody block={block} lang={lang} />
      break
    case 'actionPlan':
      body = <ActionPlanBody block={block} lang={lang} />
      break
  }
  return (
    <div className="arvo-block" data-testid="coverage-block" data-template={block.template} data-instance={block.instance}>
      <h4>
        {block.title}
        {block.emptyCount > 0 && <span className="arvo-empty-count">{t(lang, 'emptyZonesCount', { count: block.emptyCount })}</span>}
      </h4>
      {body}
    </div>
  )
}

function CoverageSection({ model, lang }: { model: InsightsModel; lang: Language }) {
  return (
    <details className="arvo-section" open data-testid="insights-coverage">
      <summary>{t(lang, 'coverage')}</summary>
      {model.blocks.length === 0 && <p className="arvo-muted arvo-small">{t(lang, 'noTemplatesYet')}</p>}
      {model.blocks.map((b) => (
        <Block key={b.instance} block={b} model={model} lang={lang} />
      ))}
      {model.outsideZones > 0 && (
        <p className="arvo-muted arvo-small" data-testid="outside-zones">
          {t(lang, 'notesOutsideTemplates', { count: model.outsideZones })}
        </p>
      )}
    </details>
  )
}

function Rating({ value, side, lang }: { value: number | null; side: Side; lang: Language }) {
  if (value === null) {
    return (
      <span className="arvo-rating arvo-rating-none" title={t(lang, 'notRated')} aria-label={`${sideName(lang, side)}: ${t(lang, 'notRated')}`}>
        <span className="arvo-rating-value">–</span>
      </span>
    )
  }
  return (
    <span className={`arvo-rating arvo-rating-${side}`} aria-label={`${sideName(lang, side)}: ${value}/5`}>
      <span className="arvo-rating-bar" style={{ width: `${value * 20}%` }} />
      <span className="arvo-rating-value">{value}</span>
    </span>
  )
}

function GapSection({ model, lang }: { model: InsightsModel; lang: Language }) {
  const gaps: GapRow[] = model.gaps
  return (
    <details className="arvo-section" open data-testid="insights-gap">
      <summary>{t(lang, 'perceptionGap')}</summary>
      {gaps.length === 0 ? (
        <p className="arvo-muted arvo-small">{t(lang, 'noStaircaseYet')}</p>
      ) : (
        <>
          <p className="arvo-muted arvo-small">{t(lang, 'ratingHint')}</p>
          <table className="arvo-table arvo-gaps">
            <thead>
              <tr>
                <th>{t(lang, 'step')}</th>
                <SideHeads lang={lang} />
                <th className="arvo-num">{t(lang, 'gap')}</th>
              </tr>
            </thead>
            <tbody>
              {gaps.map((g) => (
                <tr
                  key={`${g.instance}:${g.step}`}
                  data-testid="gap-row"
                  data-instance={g.instance}
                  data-step={g.step}
                  data-provider={g.provider ?? ''}
                  data-customer={g.customer ?? ''}
                  data-gap={g.gap ?? ''}
                  className={g.gap !== null && g.gap >= 2 ? 'is-wide' : undefined}
                >
                  <th scope="row">{g.title}</th>
                  <td>
                    <Rating value={g.provider} side="provider" lang={lang} />
                  </td>
                  <td>
                    <Rating value={g.customer} side="customer" lang={lang} />
                  </td>
                  <td className="arvo-num" title={g.gap !== null ? t(lang, 'gapPoints', { gap: g.gap }) : undefined}>
                    {g.gap !== null ? <span className="arvo-gap">{g.gap}</span> : '–'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </details>
  )
}

/** Live insights for everyone: contribution balance, coverage of the templates, perception gap. */
export function InsightsPanel() {
  const lang = useSession((s) => s.language)
  const open = useSession((s) => s.insightsOpen)
  const model = useInsights(lang)
  if (!open) {
    return (
      <button
        className="arvo-panel arvo-insights-toggle"
        data-testid="insights-show"
        aria-expanded={false}
        onClick={() => sessionStore.getState().setInsightsOpen(true)}
      >
        {model.warning && <span className="arvo-warning-dot" aria-hidden />}
        {t(lang, 'showInsights')}
      </button>
    )
  }
  return (
    <section className="arvo-panel arvo-insights" data-testid="insights-panel" aria-label={t(lang, 'insights')}>
      <div className="arvo-panel-row">
        <h2 className="arvo-panel-title">{t(lang, 'insights')}</h2>
        <CollapseButton label={t(lang, 'hideInsights')} testId="insights-hide" onClick={() => sessionStore.getState().setInsightsOpen(false)} />
      </div>
      <div className="arvo-insights-body">
        <BalanceSection model={model} lang={lang} />
        <CoverageSection model={model} lang={lang} />
        <GapSection model={model} lang={lang} />
      </div>
    </section>
  )
}
