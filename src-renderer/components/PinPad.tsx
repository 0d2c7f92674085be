import { forwardRef } from 'react';

export interface PinPadProps {
  value: string;
  onChange: (value: string) => void;
  onSubmit: () => void;
  label: string;
  clearLabel: string;
  backLabel: string;
  /** The on-screen keypad's name. */
  keypadLabel: string;
  disabled?: boolean;
  maxLength?: number;
  autoFocus?: boolean;
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * A PIN field with an on-screen pad for touch screens. The field takes keyboard digits and
 * Enter; the pad's buttons are large and never steal the PIN into view (password field).
 */
export const PinPad = forwardRef<HTMLInputElement, PinPadProps>(function PinPad({ value, onChange, onSubmit, label, clearLabel, backLabel, keypadLabel, disabled, maxLength = 8, autoFocus }, ref) {
  const press = (d: string): void => {
    if (value.length < maxLength) onChange(value + d);
  };
  return (
    <div className="pinpad">
      <label className="field">
        <span>{label}</span>
        <input
          ref={ref}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={maxLength}
          value={value}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value.replace(/\D/g, '').slice(0, maxLength))}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              onSubmit();
            }
          }}
          className="pin-input"
          autoFocus={autoFocus}
        />
      </label>
      <div className="pinpad-keys" role="group" aria-label={keypadLabel}>
        {KEYS.map((k) => (
          <button key={k} type="button" tabIndex={-1} disabled={disabled} onClick={() => press(k)}>
            {k}
          </button>
        ))}
        <button type="button" tabIndex={-1} disabled={disabled} onClick={() => onChange('')}>
          {clearLabel}
        </button>
        <button type="button" tabIndex={-1} disabled={disabled} onClick={() => press('0')}>
          0
        </button>
        <button type="button" tabIndex={-1} disabled={disabled} onClick={() => onChange(value.slice(0, -1))} aria-label={backLabel}>
          ⌫
        </button>
      </div>
    </div>
  );
});
