import { sql } from 'kysely';
import path from 'node:path';
import { HlcClock, nodeIdOf } from '../../src-shared/sync/hlc';
import { createUuidV7 } from '../../src-shared/sync/ids';
import type { Connectivity, CoreContext } from '../core/context';
import { createDispatcher, type Dispatch } from '../core/dispatcher';
import { EventBus } from '../core/events';
import { consoleLog } from '../core/log';
import type { CoreHandlers } from '../core/handlers';
import { openTerminalDatabase } from '../db/connection';
import { startDevices, type DeviceEnvironment, type DeviceManager } from '../devices/device-manager';
import { createDeviceHandlers } from '../devices/devices.handlers';
import { CheckoutService } from '../ledger/checkout.service';
import { createMembersHandlers } from '../ledger/members.handlers';
import { MembersService } from '../ledger/members.service';
import { PointsService } from '../ledger/points.service';
import { RefundService } from '../ledger/refund.service';
import { RedemptionRefusals } from '../ledger/refusals.service';
import { createSalesHandlers } from '../ledger/sales.handlers';
import { createReportsHandlers } from '../reports/reports.handlers';
import { DayCloseService } from '../reports/day-close.service';
import { createMoneyHandlers } from '../reports/money.handlers';
import { DrawerService } from '../ledger/drawer.service';
import { TenderSettings } from '../ledger/tender-settings';
import { seedDemoStore } from '../seed/demo';
import { PRODUCTION_PIN_COST } from '../staff/pin';
import { Session } from '../staff/session';
import { createStaffHandlers } from '../staff/staff.handlers';
import { staffLoader } from '../staff/staff.repo';
import { StaffService } from '../staff/staff.service';
import { SyncAgent, type SyncAgentOptions } from '../sync/sync-agent';
import { createSyncHandlers } from '../sync/sync.handlers';
import { DATABASE_FILE, DEFAULT_TIME_ZONE, type TerminalConfig } from './config';
import { pooledRandomBytes } from './random-pool';
import { RuleBook } from './rules.repo';
import { openTillLog, type TillLogOptions } from './till-log';
import { createTerminalHandlers } from './terminal.handlers';

export interface Terminal {
  /** Every PosApi method's handler, by area; `dispatch` checks input and access before calling one. */
  handlers: CoreHandlers;
  dispatch: Dispatch;
  /** Core events for the UI (IPC and the bridge's event stream forward them). */
  events: EventBus;
  /** The background link with the central server (idle while standalone). */
  sync: SyncAgent;
  /** Scanners, the receipt printer and the print queue (none run until configured). */
  devices: DeviceManager;
  dataDir: string;
  ctx: CoreContext;
  close(): Promise<void>;
}

const APP_VERSION = '0.1.0';

/**
 * The terminal core without Electron: opens (and migrates) the database, restores the
 * terminal's identity and clocks, and implements every PosApi method. Electron IPC and the
 * HTTP bridge both serve `dispatch`.
 */
export async function createTerminal(
  config: TerminalConfig & {
    /** Forces what the terminal believes about the network (tests); otherwise the sync agent decides. */
    connectivity?: () => Connectivity;
    /** Sync agent options (tests inject transports and timings); `startSync: false` keeps it idle. */
    sync?: Partial<Omit<SyncAgentOptions, 'receiveRuleSet'>>;
    startSync?: boolean;
    /** Device environment (tests and the API docs inject fakes); `disabled` starts no device even when configured. */
    devices?: { env?: DeviceEnvironment; disabled?: boolean };
    /** The rolling log in `<dataDir>/logs/` (options), or `false` for lines on the console (tools). */
    log?: TillLogOptions | false;
  },
): Promise<Terminal> {
  const now = config.now ?? (() => new Date());
  const randomBytes = config.randomBytes ?? pooledRandomBytes();
  // No log file (a folder that cannot be written) is no reason not to trade: the console takes the lines.
  const tillLog = config.log === false ? null : await openTillLog(config.dataDir, config.log ?? {}).catch((e: unknown) => {
    consoleLog.warn({ err: e, dataDir: config.dataDir }, 'the till log cannot be opened; logging to the console');
    return null;
  });
  const log = tillLog?.log ?? consoleLog;
  let opened: Awaited<ReturnType<typeof openTerminalDatabase>>;
  try {
    opened = await openTerminalDatabase(path.join(config.dataDir, DATABASE_FILE));
  } catch (e) {
    log.error({ err: e, dataDir: config.dataDir }, 'the till database could not be opened');
    await tillLog?.close();
    throw e;
  }
  const { db, raw } = opened;
  const newId = createUuidV7({ now: () => now().getTime(), randomBytes });

  const meta = new Map((await db.selectFrom('meta').selectAll().execute()).map((r) => [r.key, r.value]));
  const fresh = !meta.has('terminal_id');
  if (fresh) {
    const identity = {
      terminal_id: newId(),
      store_id: newId(),
      store_name: config.storeName ?? 'Tillsmith Demo Store',
      time_zone: config.timeZone ?? DEFAULT_TIME_ZONE,
      currency: 'CNY',
      created_at: now().toISOString(),
    };
    await db.insertInto('meta').values(Object.entries(identity).map(([key, value]) => ({ key, value }))).execute();
    for (const [k, v] of Object.entries(identity)) meta.set(k, v);
  }
  const terminalId = meta.get('terminal_id')!;
  // The newest HLC this till issued: its clock only moves forward, so the last rows written hold it
  // (by rowid / seq: O(1), where max(hlc) would scan 20 million entries at start-up).
  const lastOutbox = await db.selectFrom('outbox').select('hlc').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const { rows: lastLedger } = await sql<{ hlc: string }>`SELECT hlc FROM ledger_entry ORDER BY rowid DESC LIMIT 1`.execute(db);
  const last = [lastOutbox?.hlc, lastLedger[0]?.hlc].filter((h): h is string => typeof h === 'string').sort().pop() ?? null;
  const hlc = new HlcClock({ node: nodeIdOf(terminalId), now: () => now().getTime(), last });

  const rules = new RuleBook(db);
  await rules.load(now().toISOString());
  let agent: SyncAgent | null = null;
  const connectivity = (): Connectivity => config.connectivity?.() ?? agent?.connectivity() ?? 'standalone';

  const ctx: CoreContext = {
    db,
    raw,
    terminalId,
    storeId: meta.get('store_id')!,
    storeName: meta.get('store_name')!,
    timeZone: meta.get('time_zone')!,
    currency: meta.get('currency')!,
    appVersion: config.appVersion ?? APP_VERSION,
    schemaVersion: opened.schemaVersion,
    dataDir: config.dataDir,
    now,
    newId,
    randomBytes,
    hlc,
    pinKdfCost: config.pinKdfCost ?? PRODUCTION_PIN_COST,
    rulesOn: (d) => rules.on(d),
    connectivity,
    enrolled: () => agent?.enrolled ?? false,
    log,
    closedDay: { through: (await db.selectFrom('z_report').select('business_date').orderBy('z_no', 'desc').limit(1).executeTakeFirst())?.business_date ?? null },
  };

  if (fresh && config.seedDemo) await seedDemoStore(ctx, config.seedDemo);

  const events = new EventBus(log);
  agent = new SyncAgent(ctx, events, { receiveRuleSet: (trx, ruleSet) => rules.receive(trx, ruleSet, now().toISOString()), ...config.sync });
  await agent.load();
  const sync = agent;
  const staff = new StaffService(ctx);
  const session = new Session(staffLoader(raw));
  const members = new MembersService(ctx);
  const devices = await startDevices(ctx, events, config.devices ?? {});
  const tenderSettings = new TenderSettings(ctx);
  const drawer = new DrawerService(ctx, tenderSettings);

  const handlers: CoreHandlers = {
    ...createTerminalHandlers({ ctx, rules }),
    ...createStaffHandlers({ ctx, staff, session }),
    ...createMembersHandlers({ members }),
    ...createSalesHandlers({
      ctx,
      checkout: new CheckoutService(ctx, members, tenderSettings, devices.queue),
      refunds: new RefundService(ctx, tenderSettings, drawer, devices.queue),
      points: new PointsService(ctx, members),
      refusals: new RedemptionRefusals(ctx),
      holds: sync,
    }),
    ...createSyncHandlers({ ctx, agent: sync }),
    ...createReportsHandlers({ ctx, events, printQueue: devices.queue }),
    ...createDeviceHandlers({ ctx, devices }),
    ...createMoneyHandlers({ ctx, settings: tenderSettings, drawer, dayClose: new DayCloseService(ctx, drawer), printQueue: devices.queue }),
  };
  // Every successful change may have written outbox rows: the sync agent looks for them.
  const dispatch = createDispatcher({
    handlers,
    gate: { requireStaff: () => session.require(), approveAsManager: (a) => staff.approveAsManager(a) },
    onWrite: () => sync.nudge(),
    log,
  });
  if (config.startSync !== false) sync.start();
  log.info({ terminalId, storeId: ctx.storeId, appVersion: ctx.appVersion, schemaVersion: ctx.schemaVersion, enrolled: sync.enrolled }, 'terminal opened');

  return {
    handlers,
    dispatch,
    events,
    sync,
    devices,
    dataDir: config.dataDir,
    ctx,
    close: async () => {
      await devices.close();
      await sync.stop();
      await opened.close();
      log.info({ terminalId }, 'terminal closed');
      await tillLog?.close();
    },
  };
}
