import { useState, type FormEvent } from 'react';
import type { MemberSummaryDto, ScanOutcomeDto } from '../../../src-shared/api/dto';
import { useAppStore } from '../../state/context';

const TIER: Record<MemberSummaryDto['tier'], string> = { regular: 'Regular', silver: 'Silver', gold: 'Gold', diamond: 'Diamond' };
const STATUS: Record<MemberSummaryDto['status'], string> = { active: 'Active', blocked: 'Blocked', merged: 'Merged', erased: 'Erased' };

export function MemberLookup() {
  const members = useAppStore((s) => s.members);
  const search = useAppStore((s) => s.memberSearchSubmitted);
  const scan = useAppStore((s) => s.memberCodeScanned);
  const clear = useAppStore((s) => s.memberLookupCleared);
  const [text, setText] = useState('');
  const busy = members.status === 'searching';

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void search(text);
  };

  return (
    <section className="panel lookup" aria-label="Member lookup">
      <h2>Find a member</h2>
      <form onSubmit={onSubmit} className="lookup-form">
        <label>
          Card, phone, last 4 digits or name
          <input value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" maxLength={512} />
        </label>
        <button type="submit" disabled={busy}>
          Search
        </button>
        <button type="button" disabled={busy} onClick={() => void scan(text)}>
          Read as card scan
        </button>
        <button
          type="button"
          onClick={() => {
            setText('');
            clear();
          }}
        >
          Clear
        </button>
      </form>
      {busy && <p className="muted">Looking up...</p>}
      {members.error && (
        <p role="alert" className="error">
          {members.error.message}
        </p>
      )}
      {members.scan && members.scan.kind !== 'member' && <ScanNotice scan={members.scan} />}
      {members.status === 'done' && members.mode === 'find' && members.results.length === 0 && (
        <p role="status">No member matches "{members.query}".</p>
      )}
      {members.results.length > 0 && <MemberTable members={members.results} />}
    </section>
  );
}

function ScanNotice({ scan }: { scan: Exclude<ScanOutcomeDto, { kind: 'member' }> }) {
  if (scan.kind === 'product') return <p role="status">That is a product barcode ({scan.ean13}), not a member card.</p>;
  return (
    <p role="status">
      Card {scan.maskedCode} is not registered{scan.activatable ? ': it can be activated for a new member.' : '.'}
    </p>
  );
}

function MemberTable({ members }: { members: MemberSummaryDto[] }) {
  return (
    <table className="members" aria-label="Members found">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Phone</th>
          <th scope="col">Tier</th>
          <th scope="col" className="num">
            Points
          </th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {members.map((m) => (
          <tr key={m.id} data-member-id={m.id}>
            <td>{m.maskedName ?? <span className="muted">(no name)</span>}</td>
            <td>{m.maskedPhone ?? <span className="muted">(none)</span>}</td>
            <td>{TIER[m.tier]}</td>
            <td className="num">{m.balance.toLocaleString()}</td>
            <td>{STATUS[m.status]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
