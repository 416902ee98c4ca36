/** The small "collapse" control in a panel's corner (PNL-1). */
export function CollapseButton({ label, onClick, testId }: { label: string; onClick(): void; testId: string }) {
  return (
    <button className="arvo-icon-button arvo-collapse" data-testid={testId} title={label} aria-label={label} aria-expanded onClick={onClick}>
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden>
        <path d="M3.5 10l4.5-4.5 4.5 4.5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
    </button>
  )
}
