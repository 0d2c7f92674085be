import type { ReactNode } from 'react';

/** An error in words, announced at once. */
export function ErrorText({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <p role="alert" className="error" data-testid={testId}>
      {children}
    </p>
  );
}

/** A polite status line. */
export function StatusText({ children, tone = 'info', testId }: { children: ReactNode; tone?: 'info' | 'success' | 'warning'; testId?: string }) {
  return (
    <p role="status" className={`status-text status-${tone}`} data-testid={testId}>
      {children}
    </p>
  );
}

export function TierBadge({ tier, label }: { tier: string; label: string }) {
  return (
    <span className={`tier tier-${tier}`} data-testid="tier-badge">
      {label}
    </span>
  );
}

/** Label/value pairs. */
export function Facts({ items, label }: { items: { label: string; value: ReactNode; testId?: string }[]; label?: string }) {
  return (
    <dl className="facts" aria-label={label}>
      {items.map((i) => (
        <div key={i.label}>
          <dt>{i.label}</dt>
          <dd data-testid={i.testId}>{i.value}</dd>
        </div>
      ))}
    </dl>
  );
}
