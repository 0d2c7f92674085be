import type { ButtonHTMLAttributes, ReactNode } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** A visible keyboard shortcut, e.g. "F9" or "Alt+N". */
  shortcut?: string;
  tone?: 'primary' | 'secondary' | 'danger' | 'quiet';
  size?: 'normal' | 'large';
  children: ReactNode;
}

/** A large touch target with its shortcut shown (aria-keyshortcuts for assistive technology). */
export function Button({ shortcut, tone = 'secondary', size = 'normal', children, className, type, ...rest }: ButtonProps) {
  return (
    <button
      type={type ?? 'button'}
      className={['btn', `btn-${tone}`, size === 'large' ? 'btn-large' : '', className ?? ''].filter(Boolean).join(' ')}
      aria-keyshortcuts={shortcut ? ariaShortcut(shortcut) : undefined}
      {...rest}
    >
      <span className="btn-label">{children}</span>
      {shortcut && <kbd className="kbd">{shortcut}</kbd>}
    </button>
  );
}

/** "Alt+N" -> "Alt+N"; "F9" -> "F9"; "Esc" -> "Escape". */
function ariaShortcut(s: string): string {
  return s.replace(/\bEsc\b/, 'Escape');
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}
