import type { TerminalInfoDto } from '../../../src-shared/api/dto';
import type { TransportKind } from '../../api/transports';
import { useAppStore } from '../../state/context';

const LINK: Record<TransportKind, string> = { ipc: 'Electron window', http: 'Browser (loopback bridge)', memory: 'In memory (test)' };
const CONNECTIVITY: Record<TerminalInfoDto['connectivity'], string> = {
  standalone: 'Standalone (no central server)',
  online: 'Online',
  offline: 'Offline: trading locally, will sync later',
};

export function TerminalInfoPanel() {
  const terminal = useAppStore((s) => s.terminal);
  if (terminal.status === 'starting') return <p className="muted">Connecting to the till...</p>;
  if (terminal.status === 'unreachable' || !terminal.info) {
    return (
      <p role="alert" className="error">
        {terminal.error?.message ?? 'The till core is not answering.'}
      </p>
    );
  }
  const info = terminal.info;
  return (
    <dl className="terminal-info" aria-label="Terminal">
      <div>
        <dt>Store</dt>
        <dd>
          {info.storeName} <span className="muted">({info.storeId})</span>
        </dd>
      </div>
      <div>
        <dt>Terminal</dt>
        <dd>{info.terminalId}</dd>
      </div>
      <div>
        <dt>Data folder</dt>
        <dd className="path">{info.dataDir}</dd>
      </div>
      <div>
        <dt>Connectivity</dt>
        <dd data-testid="connectivity">{CONNECTIVITY[info.connectivity]}</dd>
      </div>
      <div>
        <dt>Members</dt>
        <dd>{info.memberCount.toLocaleString()}</dd>
      </div>
      <div>
        <dt>Link</dt>
        <dd data-testid="transport">{LINK[terminal.transport]}</dd>
      </div>
      <div>
        <dt>Version</dt>
        <dd>
          {info.appVersion} <span className="muted">(schema {info.schemaVersion}, rules v{info.ruleSetVersion})</span>
        </dd>
      </div>
    </dl>
  );
}
