import { sql } from 'kysely';
import path from 'node:path';
import type { PosHandlers } from '../../src-shared/api/contract';
import { businessDateOf } from '../../src-shared/domain/dates';
import { HlcClock, nodeIdOf } from '../../src-shared/sync/hlc';
import { createUuidV7 } from '../../src-shared/sync/ids';
import { createDispatcher, type Dispatch } from '../bridge/dispatcher';
import { openTerminalDatabase } from '../db/connection';
import { CheckoutService } from '../ledger/checkout.service';
import { MembersService } from '../ledger/members.service';
import { PointsService } from '../ledger/points.service';
import { RefundService } from '../ledger/refund.service';
import { RedemptionRefusals } from '../ledger/refusals.service';
import { findSale, saleDto } from '../ledger/sales.repo';
import { seedDemoStore } from '../seed/demo';
import { appendAudit } from '../staff/audit.repo';
import { PRODUCTION_PIN_COST } from '../staff/pin';
import { Session, StaffService, type StaffRow } from '../staff/staff.service';
import { DATABASE_FILE, DEFAULT_TIME_ZONE, type TerminalConfig } from './config';
import type { Connectivity, CoreContext } from './context';
import { EventBus } from './event-bus';
import { pooledRandomBytes } from './random-pool';
import { SyncAgent, type SyncAgentOptions } from '../sync/sync-agent';
import { createSyncHandlers } from '../sync/sync.handlers';
import { RuleBook } from './rules.repo';
import { createReportsHandlers } from '../reports/reports.handlers';
import { startDevices, type DeviceEnvironment, type DeviceManager } from '../devices/device-manager';
import { createDeviceHandlers } from '../devices/devices.handlers';

export interface Terminal {
  handlers: PosHandlers;
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
/** Methods that never write (no outbox rows, no need to wake the sync agent). */
const READ_ONLY = /^(terminal\.info|rules\.current|staff\.list|session\.current|members\.(scan|find|get|history)|checkout\.preview|rewards\.list|sales\.|ledger\.verify|audit\.verify|sync\.|reports\.|devices\.(list|status)|printer\.queue)/;

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
  },
): Promise<Terminal> {
  const now = config.now ?? (() => new Date());
  const randomBytes = config.randomBytes ?? pooledRandomBytes();
  const opened = await openTerminalDatabase(path.join(config.dataDir, DATABASE_FILE));
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
  };

  if (fresh && config.seedDemo) await seedDemoStore(ctx, { members: config.seedDemo.members });

  const events = new EventBus();
  agent = new SyncAgent(ctx, events, { receiveRuleSet: (trx, ruleSet) => rules.receive(trx, ruleSet, now().toISOString()), ...config.sync });
  await agent.load();
  const sync = agent;
  const staffById = ctx.raw.prepare('SELECT * FROM staff WHERE id = ?');
  const session = new Session((id) => staffById.get(id) as StaffRow | undefined);
  const staff = new StaffService(ctx);
  const members = new MembersService(ctx);
  const devices = await startDevices(ctx, events, config.devices ?? {});
  const checkout = new CheckoutService(ctx, members, devices.queue);
  const refunds = new RefundService(ctx, devices.queue);
  const points = new PointsService(ctx, members);
  const refusals = new RedemptionRefusals(ctx);
  const approve = (a: { staffId: string; pin: string } | undefined) => (a ? staff.approveAsManager(a) : Promise.resolve(null));

  const handlers: PosHandlers = {
    'terminal.info': async () => {
      const count = await db.selectFrom('member').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return {
        terminalId,
        storeId: ctx.storeId,
        storeName: ctx.storeName,
        timeZone: ctx.timeZone,
        currency: ctx.currency,
        appVersion: ctx.appVersion,
        schemaVersion: ctx.schemaVersion,
        dataDir: ctx.dataDir,
        ruleSetVersion: rules.on(businessDateOf(now().toISOString(), ctx.timeZone)).version,
        connectivity: connectivity(),
        memberCount: Number(count.n),
      };
    },
    'rules.current': async () => rules.on(businessDateOf(now().toISOString(), ctx.timeZone)),
    'rules.install': async ({ ruleSet, approval }) => {
      const by = session.require();
      const approver = await staff.approveAsManager(approval);
      const installed = await rules.install(ruleSet, now().toISOString());
      await appendAudit(db, ctx, { action: 'rules.install', staffId: by.id, approvedBy: approver.id, subjectType: 'rule_set', subjectId: String(installed.version) });
      return installed;
    },
    'staff.list': () => staff.list(),
    'session.signIn': async ({ staffId, pin }) => {
      const s = await staff.authenticate(staffId, pin);
      session.set(s);
      await appendAudit(db, ctx, { action: 'session.signIn', staffId: s.id });
      return session.dto();
    },
    'session.signOut': async () => {
      const s = session.current();
      session.set(null);
      if (s) await appendAudit(db, ctx, { action: 'session.signOut', staffId: s.id });
      return session.dto();
    },
    'session.current': async () => session.dto(),
    'staff.create': async ({ approval, ...input }) => {
      const by = session.require();
      const approver = await staff.approveAsManager(approval);
      return staff.create(input, by.id, approver.id);
    },
    'staff.changePin': async ({ staffId, newPin, approval }) => {
      const by = session.require();
      const approver = await staff.approveAsManager(approval);
      return staff.changePin(staffId, newPin, by.id, approver.id);
    },
    'staff.deactivate': async ({ staffId, approval }) => {
      const by = session.require();
      const approver = await staff.approveAsManager(approval);
      return staff.deactivate(staffId, by.id, approver.id);
    },
    'members.scan': ({ raw: code }) => (session.require(), members.scan(code)),
    'members.find': ({ query, by, limit }) => (session.require(), members.find(query, by, limit)),
    'members.get': ({ memberId }) => (session.require(), members.get(memberId)),
    'members.register': (input) => members.register(input, session.require()),
    'members.activateCard': (input) => (session.require(), members.activateCard(input)),
    'members.update': (input) => members.update(input, session.require()),
    'members.addCard': ({ memberId, cardCode }) => members.addCard(memberId, cardCode, session.require()),
    'members.deactivateCard': ({ cardCode, reason }) => members.deactivateCard(cardCode, reason, session.require()),
    'members.replaceCard': (input) => members.replaceCard(input, session.require()),
    'members.block': async ({ memberId, reason, approval }) => members.setBlocked(memberId, true, reason, session.require(), await staff.approveAsManager(approval)),
    'members.unblock': async ({ memberId, reason, approval }) => members.setBlocked(memberId, false, reason, session.require(), await staff.approveAsManager(approval)),
    'members.history': ({ memberId, limit, before }) => (session.require(), members.history(memberId, limit, before)),
    'members.reveal': async ({ memberId, approval }) => members.reveal(memberId, session.require(), await staff.approveAsManager(approval)),
    'members.export': async ({ memberId, approval }) => members.exportData(memberId, session.require(), await staff.approveAsManager(approval)),
    'members.erase': async ({ memberId, approval }) => members.erase(memberId, session.require(), await staff.approveAsManager(approval)),
    'checkout.preview': async (input) => {
      session.require();
      return checkout.preview(input, await approve(input.approval));
    },
    'checkout.complete': async (input) => {
      const by = session.require();
      const attempt = input.memberId && input.redeemPoints > 0
        ? { channel: 'bill' as const, memberId: input.memberId, points: input.redeemPoints, idempotencyKey: input.idempotencyKey, staffId: by.id, approverId: input.approval?.staffId ?? null }
        : null;
      // A refused redemption (rules, head office, a failed approval) is recorded for the exceptions report.
      return refusals.guard(attempt, async () => {
        const approver = await approve(input.approval);
        // Online, points are held centrally first (no network inside the SQLite transaction).
        const hold = attempt ? await sync.holdForRedemption(attempt.memberId, attempt.points, input.idempotencyKey) : null;
        try {
          return await checkout.complete(input, by, approver);
        } catch (e) {
          if (hold?.holdId) void sync.releaseHold(hold.holdId);
          throw e;
        }
      });
    },
    'rewards.list': async () => rules.on(businessDateOf(now().toISOString(), ctx.timeZone)).rewards.filter((r) => r.active),
    'rewards.redeem': async (input) => {
      const by = session.require();
      const reward = rules.on(businessDateOf(now().toISOString(), ctx.timeZone)).rewards.find((r) => r.id === input.rewardId);
      const attempt = reward?.active
        ? { channel: 'reward' as const, memberId: input.memberId, points: reward.points, idempotencyKey: input.idempotencyKey, staffId: by.id, approverId: input.approval?.staffId ?? null, rewardId: reward.id }
        : null;
      return refusals.guard(attempt, async () => {
        const approver = await approve(input.approval);
        const hold = reward ? await sync.holdForRedemption(input.memberId, reward.points, `reward:${input.idempotencyKey}`) : null;
        try {
          return await points.redeemReward(input, by, approver);
        } catch (e) {
          if (hold?.holdId) void sync.releaseHold(hold.holdId);
          throw e;
        }
      });
    },
    'sales.get': async (by) => {
      session.require();
      return saleDto(db, await findSale(db, by));
    },
    'sales.recent': async ({ limit }) => {
      session.require();
      const rows = await db.selectFrom('sale').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
      return Promise.all(rows.map((r) => saleDto(db, r)));
    },
    'refunds.create': async (input) => {
      const by = session.require();
      return refunds.create(input, by, await approve(input.approval));
    },
    'points.adjust': async ({ approval, ...input }) => points.adjust(input, session.require(), await staff.approveAsManager(approval)),
    'points.runExpiry': () => (session.require(), points.runExpiry()),
    ...createSyncHandlers({
      ctx,
      agent: sync,
      requireStaff: () => session.require(),
      approveAsManager: (a) => staff.approveAsManager(a),
      audit: (action, staffId, approvedBy, details) => appendAudit(db, ctx, { action, staffId, approvedBy, details }),
    }),
    ...createReportsHandlers({ ctx, requireStaff: () => session.require(), events, printQueue: devices.queue }),
    ...createDeviceHandlers({ ctx, devices, session, staff }),
  };

  const dispatchCore = createDispatcher(handlers);
  // Every successful change may have written outbox rows: let the sync agent know.
  const dispatch: Dispatch = async (method, input) => {
    const result = await dispatchCore(method, input);
    if (result.ok && typeof method === 'string' && !READ_ONLY.test(method)) sync.nudge();
    return result;
  };
  if (config.startSync !== false) sync.start();

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
    },
  };
}
