import { useState, type FormEvent } from 'react';
import { useAppStore } from '../../state/context';

export function SignInPanel() {
  const session = useAppStore((s) => s.session);
  const signIn = useAppStore((s) => s.staffSignInSubmitted);
  const [staffId, setStaffId] = useState('');
  const [pin, setPin] = useState('');
  const busy = session.status === 'signingIn' || session.status === 'loading';

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void signIn(staffId, pin).then(() => setPin(''));
  };

  return (
    <form className="panel signin" onSubmit={onSubmit} aria-label="Staff sign-in">
      <h2>Sign in</h2>
      <label>
        Staff member
        <select value={staffId} onChange={(e) => setStaffId(e.target.value)} disabled={busy}>
          <option value="">Choose...</option>
          {session.staffList.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.role})
            </option>
          ))}
        </select>
      </label>
      <label>
        PIN
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          value={pin}
          onChange={(e) => setPin(e.target.value)}
          disabled={busy}
        />
      </label>
      <button type="submit" disabled={busy}>
        {session.status === 'signingIn' ? 'Signing in...' : 'Sign in'}
      </button>
      {session.error && (
        <p role="alert" className="error">
          {session.error.message}
        </p>
      )}
    </form>
  );
}

export function SignedInBar() {
  const staff = useAppStore((s) => s.session.current);
  const error = useAppStore((s) => s.session.error);
  const signOut = useAppStore((s) => s.signOutRequested);
  if (!staff) return null;
  return (
    <div className="signed-in-bar">
      <span data-testid="signed-in-as">
        Signed in: <strong>{staff.name}</strong> ({staff.role})
      </span>
      <button type="button" onClick={() => void signOut()}>
        Sign out
      </button>
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
    </div>
  );
}
