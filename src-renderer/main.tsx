import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { DisplayStateDto } from '../src-shared/api/contract-reports';
import type { DeviceStatusEvent } from '../src-shared/api/events';
import { createUuidV7 } from '../src-shared/sync/ids';
import { createPosClient } from './api/client';
import { selectTransport } from './api/select-transport';
import { App } from './app/App';
import { CustomerDisplay } from './features/customer-display/CustomerDisplay';
import { StoreProvider } from './state/context';
import { createCustomerDisplayStore } from './state/customer-display.store';
import { startDisplaySync } from './state/display-sync';
import { startDraftPersistence } from './state/persistence';
import { createAppStore } from './state/store';
import type { KeyValueStorage } from './state/types';
import './styles.css';

/** How often the till checks its link and the core (connectivity, member count). */
const STATUS_POLL_MS = 15_000;
const IDLE_CHECK_MS = 10_000;
const DISPLAY_REFRESH_MS = 1_500;

const transport = selectTransport();
const api = createPosClient(transport);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

function localStore(): KeyValueStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

if (new URLSearchParams(window.location.search).get('view') === 'customer') {
  // The customer display: a second window (Electron) or page (browser mode) on the same core.
  const display = createCustomerDisplayStore(api);
  transport.on('display.changed', (p) => display.getState().displayChanged(p as DisplayStateDto));
  void display.getState().displayOpened();
  // Events may be missed while the event stream (re)connects: read the state again now and then
  // (older states are ignored, so this never goes backwards).
  setInterval(() => void display.getState().displayOpened(), DISPLAY_REFRESH_MS);
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.body.classList.add('customer-body');
  createRoot(root).render(
    <StrictMode>
      <CustomerDisplay store={display} timeZone={timeZone} />
    </StrictMode>,
  );
} else {
  const storage = localStore();
  // Time-ordered keys (UUIDv7): the ledger's idempotency indexes grow at their end instead of at random pages.
  const newKey = createUuidV7({ now: Date.now, randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)) });
  const store = createAppStore({ api, transportKind: transport.kind, storage, newKey });
  transport.on('devices.status', (p) => store.getState().deviceStatusReceived(p as DeviceStatusEvent));
  transport.on('ledger.changed', (p) => {
    const ids = (p as { memberIds?: string[] }).memberIds ?? [];
    const s = store.getState();
    if (s.checkout.member && ids.includes(s.checkout.member.id)) void s.checkoutMemberRefreshed();
    // The sync agent also says so when the link comes or goes: refresh the status bar.
    if (ids.length === 0) void s.statusPollTicked();
  });
  void store
    .getState()
    .appStarted()
    .then(() => {
      if (storage) startDraftPersistence(store, storage);
      startDisplaySync(store, api);
    });
  setInterval(() => void store.getState().statusPollTicked(), STATUS_POLL_MS);
  setInterval(() => void store.getState().idleCheckTicked(), IDLE_CHECK_MS);
  createRoot(root).render(
    <StrictMode>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
}
