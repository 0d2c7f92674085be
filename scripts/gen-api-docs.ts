/**
 * Generates docs/api.md from a REAL run: a headless terminal on a temporary data folder, the
 * loopback HTTP bridge in front of it, and a scripted day at the counter made of plain HTTP
 * calls that covers every method of the contract (plus the usual mistakes). Every response in
 * the document is the one the bridge actually sent.
 *
 * The output is deterministic (a fixed, stepping clock; a seeded random source for ids), so the
 * document can be checked in CI: test/integration/bridge/api-docs.test.ts regenerates it and
 * compares it with the committed file.
 *
 *   npx tsx scripts/gen-api-docs.ts     (or: npm run docs:api)
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { contract, METHODS, type Input, type Method, type Outputs } from '../src-shared/api/contract';
import type { Result } from '../src-shared/api/dto';
import type { RuleSet } from '../src-shared/domain/rules';
import { ERROR_CODES, type ErrorCode } from '../src-shared/errors/domain-error';
import { startHttpBridge } from '../src-main/bridge/http-bridge';
import { createSyncClient } from '../src-main/sync/sync-client';
import { openServerDatabase } from '../src-server/db/database';
import { buildApp } from '../src-server/http/app';
import { createStore } from '../src-server/services/admin';
import { hashEnrolmentCode } from '../src-server/crypto';
import type { AddressInfo } from 'node:net';
import { createTerminal, type Terminal } from '../src-main/terminal/create-terminal';
import { DEMO_STAFF } from '../src-main/seed/demo';
import { docDevices, type DocDevices } from './lib/doc-devices';

export const API_DOCS_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'api.md');

/** What the document shows instead of the run's real port, token source and temporary folder. */
const DOC_URL = 'http://127.0.0.1:8787';
const DOC_DATA_DIR = '/var/lib/tillsmith';
/** The central server of the story (a real one on loopback; its port is shown as 8700). */
const DOC_SERVER_URL = 'http://127.0.0.1:8700';
const DOC_ENROLMENT_CODE = '7KQ2M-XW9DA-3PFZC';
const TOKEN = 'demo-token';
const START = '2026-06-15T02:00:00.000Z'; // 10:00 in Asia/Shanghai, the store's time zone
const STEP_MS = 20_000; // the example clock moves 20 seconds before every call
/** Arrays longer than this are shown as their first TRIM_KEEP items and a "… N more" marker. */
const TRIM_ABOVE = 3;
const TRIM_KEEP = 2;

// ---------------------------------------------------------------------------------------------
// What each method is for (checked by the compiler: a new method without a line fails typecheck)
// ---------------------------------------------------------------------------------------------

interface MethodDoc {
  purpose: string;
  notes?: string;
}

const METHOD_DOCS: Record<Method, MethodDoc> = {
  'terminal.info': { purpose: 'Who and what this terminal is: ids, store, time zone, versions, connectivity and member count.' },
  'rules.current': { purpose: 'The loyalty rule set in force today (earn and redeem rates, tiers, rewards, risk limits, campaigns).' },
  'staff.list': { purpose: 'Active staff members, for the sign-in screen. Never includes PINs.' },
  'session.signIn': {
    purpose: 'Signs a staff member in at this counter with their PIN. One person is signed in at a time; signing in replaces the previous person.',
    notes: 'Five wrong PINs in a row lock that staff member for five minutes (`STAFF_LOCKED`). Every failure is audited.',
  },
  'session.signOut': { purpose: 'Signs the current staff member out. Harmless when nobody is signed in.' },
  'session.current': { purpose: 'Who is signed in (`staff: null` when nobody is).' },
  'staff.create': { purpose: 'Adds a cashier or manager with their own PIN (manager approval).' },
  'staff.changePin': {
    purpose: 'Sets a new PIN for a staff member and clears a PIN lock (manager approval).',
    notes: 'On an enrolled till the change reaches every till of the store (the PIN travels only as its scrypt hash; the latest change wins).',
  },
  'staff.deactivate': {
    purpose: 'Stops a staff member from signing in and approving (manager approval; audited). On an enrolled till, every till of the store follows.',
    notes: 'The only active manager of the till cannot be deactivated (`FORBIDDEN`, `details.reason: "last_manager"`): add another manager first.',
  },
  'members.scan': {
    purpose: 'Interprets one scan or typed code: a known member card, an unknown card that can be activated, or a product barcode.',
    notes: 'Accepts printed 16-digit card numbers (spaces or dashes allowed), Code 128, Tillsmith QR (`TSM1:<number>` or a `/c/<number>` link), magnetic track 2 and NFC UIDs. `code` in the answer is the canonical card code of what was just scanned; every other card number is masked.',
  },
  'members.find': {
    purpose: 'Looks a member up by card, whole phone number, last four phone digits or name (`by: "auto"` decides from what was typed).',
    notes: 'Name search matches Chinese names character by character and Latin names by word prefix; newest members first. Erased members are never found.',
  },
  'members.get': { purpose: 'One member with balance, tier, cards, points expiring soon and progress to the next tier.' },
  'members.register': {
    purpose: 'Registers a member by phone number, optionally with a card, birthday and referrer (a member\'s phone or card number).',
    notes: 'A referred member gets the welcome bonus at once; the referrer gets the referral bonus after the new member\'s first paid purchase. Local Chinese mobile numbers get +86.',
  },
  'members.activateCard': { purpose: 'Activates a pre-printed or NFC card handed out at the counter as an anonymous member who can earn at once.' },
  'members.update': {
    purpose: 'Changes a member\'s name, birthday, phone or marketing consent. Only the fields given are changed.',
    notes: 'Giving a phone number to an anonymous (card-only) member also records their acceptance of the terms.',
  },
  'members.addCard': { purpose: 'Adds another card to a member (a second card, a key fob). To replace a lost or damaged card, use `members.replaceCard`. Safe to retry: the same card for the same member answers as the first time and writes nothing; a card of another member is `CARD_ALREADY_ACTIVE`, a stopped card `CARD_INACTIVE`.' },
  'members.deactivateCard': { purpose: 'Stops a card from working (lost, damaged, stolen, replaced). The member and their points are kept.' },
  'members.replaceCard': {
    purpose: 'Replaces a lost or damaged card: the old card (picked by its `id` from the member\'s `cards`, since screens show masked numbers only) stops working and the new card is bound, in one transaction. The balance stays with the member.',
    notes: 'The new card must be new to the till (a pre-printed card not yet activated, or a new NFC tag): a card of another member is `CARD_ALREADY_ACTIVE`, a stopped card `CARD_INACTIVE`, a mistyped number `INVALID_CARD_NUMBER`; nothing changes then. Both card changes go to head office; the replacement is audited. Safe to retry with the same idempotency key (`replayed: true`).',
  },
  'members.block': { purpose: 'Blocks a member from redeeming (they can still buy and earn) (manager approval).' },
  'members.unblock': { purpose: 'Lifts a block (manager approval).' },
  'members.history': {
    purpose: 'The member\'s ledger entries, newest first (earn, redeem, bonus, adjust, reverse, expire).',
    notes: 'Page backwards with `before` set to the `createdAt` of the last entry you have.',
  },
  'members.reveal': { purpose: 'Shows a member\'s full phone number, name and birthday (manager approval; audited).' },
  'members.export': { purpose: 'Everything the till holds about a member, for a data-access request (manager approval; audited).' },
  'members.erase': {
    purpose: 'Erases a member\'s personal data on request (manager approval; audited). The ledger stays whole, so totals remain right.',
  },
  'checkout.preview': {
    purpose: 'Prices a basket without saving anything: totals, points to be earned, the most that can be redeemed and whether a manager would be needed.',
  },
  'checkout.complete': {
    purpose: 'Completes a sale: the receipt, its lines and every points movement in one transaction. Safe to retry with the same idempotency key.',
    notes: 'Give `approval` only when a manager overrides a risk hold or the offline redemption limit (the override is audited).',
  },
  'rewards.list': { purpose: 'The rewards members can redeem points for today.' },
  'rewards.redeem': { purpose: 'Redeems points for a reward (e.g. a coupon). Safe to retry with the same idempotency key.' },
  'sales.get': { purpose: 'One sale as recorded at checkout, with the quantities refunded since.', notes: 'Give `saleId` or `receiptNo`.' },
  'sales.recent': { purpose: 'The most recent sales on this terminal, newest first.' },
  'refunds.create': {
    purpose: 'Refunds lines of a sale: money back for what was paid, earned points taken back and redeemed points given back, proportionally.',
    notes: 'Give `saleId` or `receiptNo`. A balance may go below zero when the earned points were already spent.',
  },
  'points.adjust': {
    purpose: 'Adds or removes points by hand with a reason (manager approval; audited).',
    notes: '`points` is not zero and at most 1,000,000 either way. Positive adjustments expire like any other credit.',
  },
  'points.runExpiry': {
    purpose: 'Expires every points lot past its date. Incremental and safe to run again; checkout also expires a member\'s due points on its own.',
  },
  'ledger.verify': { purpose: 'Proves every cached balance equals the sum of that member\'s ledger entries.' },
  'audit.verify': { purpose: 'Walks the tamper-evident audit log (a hash chain) and reports the first broken link, if any.' },
  'sync.status': {
    purpose: 'The link with the central server: standalone / online / offline, last successful sync, changes waiting, last error in words, clock offset and warning, problems, and the progress of loading the members (`bootstrap`).',
    notes: '`bootstrap` is set while the till loads every member from the server (after enrolment, or after being away longer than the server keeps its change feed); sales go on meanwhile.',
  },
  'sync.enrol': {
    purpose: 'Enrols this till with the central server using a one-time code from head office (manager approval; audited). The till adopts the server\'s store and starts syncing.',
    notes: 'Errors: `ENROLMENT_REFUSED` (wrong, used or expired code), `SERVER_UNREACHABLE`, `ALREADY_ENROLLED`.',
  },
  'sync.now': {
    purpose: 'Runs one sync cycle now (push every waiting change, then load members or pull everything new) and answers the status.',
    notes: '`NOT_ENROLLED` on a standalone till. One cycle loads at most 200 pages; a large first load continues in the background.',
  },
  'tenders.config': { purpose: 'The store\'s tender types (codes, names, references, drawer and change), cash rounding, denominations and refund approval, and whether this till takes the money.' },
  'tenders.setConfig': {
    purpose: 'Changes the tender settings (manager), validated as a whole and audited.',
    notes: 'With `paymentsAtTill` off the till runs the loyalty programme beside another register: a checkout needs no tenders.',
  },
  'drawer.status': { purpose: 'Whether a cash drawer session is open on this till. Never the cash it expects: the close is blind.' },
  'drawer.open': { purpose: 'Opens a drawer session with the float counted by denomination (keys in minor units).' },
  'drawer.payIn': { purpose: 'Cash put into the drawer, with a reason (manager approval).' },
  'drawer.payOut': { purpose: 'Cash paid out of the drawer, with a reason (manager approval); never more than the drawer should hold.' },
  'drawer.pickup': { purpose: 'Cash taken from the drawer to the safe, counted by denomination.' },
  'drawer.noSale': { purpose: 'Opens the drawer without a sale, with a reason (manager approval, audited).' },
  'drawer.close': {
    purpose: 'The blind close: the cashier\'s count by denomination is stored first; the answer then gives the expected cash and the over/short.',
  },
  'reports.x': { purpose: 'The running totals of the business day (tenders, cash, points, staff, refunds with approvers); changes nothing. Managers only: it shows the expected cash.' },
  'day.close': {
    purpose: 'Closes the till\'s business day: numbered in sequence, immutable, chained by hash, sent to head office. Sales after it belong to the next business day.',
    notes: 'Refused while a drawer session is open (`Z_DRAWER_OPEN`); a second Z of a day is `Z_ALREADY_MADE`; a retry with the same key returns the first.',
  },
  'reports.zList': { purpose: 'The till\'s Z reports, newest first.' },
  'reports.printDay': { purpose: 'Prints the X report of the day so far, or a stored Z report by its number (`zNo`), on the receipt printer (80 or 58 mm, GB18030 or Big5), in the printer\'s language.' },
  'reports.checkSummaries': { purpose: 'Recomputes the day summaries (what X, Z and the reports read) from the sales, refunds and ledger entries of a date range and lists where they differ.' },
  'sync.problems': { purpose: 'Changes the server rejected or held aside (for example from a newer till version), kept for the operator: nothing is dropped.' },
  'devices.list': {
    purpose: 'What is plugged in: serial ports, USB HID devices (HID POS scanners are marked) and USB line printers.',
    notes: 'When serialport or node-hid cannot load on this machine, that part says `available: false` and why; the rest still works.',
  },
  'devices.configure': {
    purpose: 'Sets the scanners, the receipt printer and the keyboard-wedge timings (manager approval; audited). The devices are restarted with the new settings at once.',
    notes:
      'Answers like `devices.status`, with the printer\'s state after one status check. Stored on the till and applied at every start. ' +
      'A printer without a Chinese font (`chineseMode: false`) prints Chinese lines as pictures drawn with `rasterFont` ' +
      '(`{ path, face }`; default Noto Sans CJK from fonts-noto-cjk); `autoStatusBack: true` switches on the printer\'s ' +
      'Automatic Status Back (GS a), so paper out or an open cover shows at once (docs/hardware.md).',
  },
  'devices.status': { purpose: 'The device settings and each device\'s state: ready, offline (unplugged: it reconnects by itself), unavailable (driver missing), paper out, cover open...' },
  'devices.testPrint': {
    purpose: 'Prints a test page with the printer settings and sample text in the printer\'s encoding, through the print queue.',
    notes: 'Answers once the page has printed, or after `waitMs` with the job as it stands (for example `queued` while the paper is out). `DEVICE_NOT_CONFIGURED` without a printer.',
  },
  'devices.testScan': {
    purpose: 'Waits for the next scan from a serial or USB HID scanner and says what it is (member card, product, or why it is not recognised).',
    notes: '`SCAN_TIMEOUT` when nothing is scanned in time. Keyboard-wedge scanners type into the window and are tested on the device screen.',
  },
  'printer.queue': {
    purpose: 'The print queue, newest first, with each job\'s state (queued, printing, printed, needs_check, failed_permanently, cancelled) and the printer\'s state.',
    notes: 'A job found `printing` when the till starts again (crash, power cut) becomes `needs_check`: it is never printed again by itself.',
  },
  'printer.reprint': {
    purpose: 'Prints a copy, marked REPRINT, of a receipt by its number, or of the last receipt when no number is given (audited).',
    notes: 'The copy is the document the customer got; for a sale made while no printer was set up it is made from the recorded sale.',
  },
  'printer.resolveJob': {
    purpose: 'The cashier\'s decision on a job that needs checking: `printed` (it did come out), `reprint` (print it again), or `cancel` (also for a job still waiting).',
    notes: '`PRINT_JOB_NOT_OPEN` when the job is not in a state that allows it. Audited.',
  },
  'rules.install': {
    purpose: 'Installs a newer rule set (manager approval; audited). It applies from its `effectiveFrom` business date; receipts record the version they used.',
    notes: 'The version must be higher than every installed version (`INVALID_RULE_SET` otherwise).',
  },
  'reports.sales': {
    purpose: 'Sales for a period in the store\'s time zone: receipts, amounts, member share (of value and of receipts), average tickets, refunds, by day (zero-filled) and by category (manager).',
    notes: '`period` is `today`, `yesterday`, `week` (Monday to today), `month` (the 1st to today) or `custom` with `from` and `to` (at most 400 days). A cashier gets `FORBIDDEN`.',
  },
  'reports.points': {
    purpose: 'Points issued, redeemed, expired, reversed and capped in a period, the redemption rate, and the outstanding liability now (points x redemption value, by tier) (manager).',
  },
  'reports.members': {
    purpose: 'Members now (by tier, anonymous, blocked), new members and the repeat-purchase rate in the period, RFM segments over the year to the period\'s last day, and the estimated customer lifetime value (manager).',
    notes: 'CLV = average member order x purchases per member per year x expected lifetime (1 / yearly churn, at most 5 years); yearly churn is the share of the year\'s buyers silent for 90 days or more.',
  },
  'reports.churnRisk': { purpose: 'Active members silent for `silentDays` (default 90) or more: how many, the points they hold, and the `limit` with the most points, masked (manager).' },
  'reports.exceptions': {
    purpose: 'What a manager should look at: overrides and approved holds, manual adjustments, refund approvals, capped points, balances below zero (with their exposure), wrong PINs, offline sales, changes held back, refused redemptions, and the audited events of the period (manager).',
    notes: '`refusedAttempts` counts and lists the redemptions the till refused (blocked member, velocity hold without approval, offline limit, above the balance or the bill cap, a manager approval that failed), by reason; a refusal never changes a balance, and a retried request is counted once.',
  },
  'reports.endOfDay': { purpose: 'The end-of-day summary of one business date (default today): sales, refunds, points, new members, first and last receipt, by staff member, exception counts (manager).' },
  'reports.printEndOfDay': {
    purpose: 'Prints the end-of-day summary of one business date (default today) on the receipt printer, in the printer\'s language; answers the print job (manager).',
    notes: '`DEVICE_NOT_CONFIGURED` when no receipt printer is set up. The job survives a restart like every print job.',
  },
  'display.state': {
    purpose: 'What the customer display shows now (idle, basket or done), as the cashier\'s screen last sent it. No personal data: the member\'s tier and points only.',
    notes: 'The display page follows the `display.changed` event afterwards; `seq` orders the states.',
  },
  'display.update': {
    purpose: 'The cashier\'s screen sends the customer display\'s state (the basket, totals, tier, points to earn, at the payment step the tenders taken, what is left and the change, balance after the sale, the customer\'s language); the core keeps it and sends `display.changed`.',
    notes: '`mode: "idle"` blanks the display whatever else is sent.',
  },
};

/** What each error means and what the person at the counter (or the calling program) should do. */
const ERROR_DOCS: Record<ErrorCode, string> = {
  NOT_ENROLLED: 'This till works standalone (no central server). Enrol it in Settings first.',
  ALREADY_ENROLLED: 'This till is already enrolled. To move it to another server, head office must revoke it first.',
  ENROLMENT_REFUSED: 'The server refused the enrolment code (wrong, used or expired). Ask head office for a new code.',
  SERVER_UNREACHABLE: 'The central server cannot be reached. Sales go on offline; check the address and the network, then try again.',
  INVALID_INPUT: 'The request does not match the method\'s schema (see `details.issues`), a phone number or birthday is not valid, or the body is not JSON (also used with 405 and 413). Correct the field and send again.',
  UNKNOWN_METHOD: 'There is no such method. Check the spelling against this document (a programming error, not a cashier\'s).',
  UNAUTHORIZED: 'Missing or wrong bearer token (HTTP bridge). Use the token the terminal printed when it started.',
  NOT_SIGNED_IN: 'Nobody is signed in at the till. Sign in with your staff PIN and try again.',
  FORBIDDEN: 'This action is not allowed for you. Ask a manager.',
  NOT_FOUND: 'Nothing at that address. Check the URL.',
  MEMBER_NOT_FOUND: 'No such member (or referrer) on this till. Look the member up again by phone or card.',
  CARD_NOT_FOUND: 'This card is not known on this till. Check the number or find the member by phone.',
  SALE_NOT_FOUND: 'No sale with that id or receipt number. Check the number printed on the receipt.',
  STAFF_NOT_FOUND: 'No such active staff member. Pick your name again on the sign-in screen.',
  INVALID_CARD_NUMBER: 'The card number fails its check digit: it was mistyped or misread. Scan again or retype the 16 digits.',
  UNRECOGNISED_SCAN: 'The scan is not a member card or product barcode (`details.reason` says why). Scan again, or type the card or phone number.',
  DUPLICATE_PHONE: 'That phone number already belongs to a member (`details.memberId`). Look the member up instead of registering again.',
  CARD_ALREADY_ACTIVE: 'The card already belongs to a member. Scan it to find them, or use a new card.',
  CARD_INACTIVE: 'The card was reported lost or replaced and no longer works. Find the member by phone and give them a new card.',
  MEMBER_BLOCKED: 'The member is blocked from redeeming. Complete the sale without points, or ask a manager.',
  MEMBER_MERGED: 'This membership was merged into another (`details.mergedInto`). Use that membership.',
  MEMBER_ERASED: 'The member\'s data was erased at their request. Treat them as a new customer.',
  INSUFFICIENT_POINTS: 'The member does not have that many points available. Redeem fewer (the preview shows the most possible).',
  REDEMPTION_BELOW_MINIMUM: 'Too few points to redeem. Redeem at least the minimum in the rule set, or none.',
  REDEMPTION_NOT_IN_STEPS: 'Points are redeemed in steps (100 by default). Round the amount to a whole step.',
  REDEMPTION_ABOVE_BILL_CAP: 'Points may pay only part of a bill (50% by default; `details.maxPoints`). Redeem less.',
  OFFLINE_REDEMPTION_LIMIT: 'While offline a member may redeem only a limited amount per day. Redeem less, or a manager can approve.',
  RISK_HOLD: 'Too many redemptions in a short time: a manager must approve this one (send the call again with `approval`).',
  REWARD_NOT_AVAILABLE: 'That reward does not exist or is not active today. Pick another from `rewards.list`.',
  REFUND_EXCEEDS_SALE: 'More would be refunded than was sold (or than is left after earlier refunds). Check the quantities.',
  INVALID_TENDER_CONFIG: 'The tender configuration is not valid (`details.issues`): codes must be unique, and there must be exactly one cash tender, active, giving change and opening the drawer. Fix it at the head office or in the store settings.',
  TENDER_UNKNOWN: 'The store has no tender with that code (`details.code`). Pick one of the store\'s tenders.',
  TENDER_INACTIVE: 'That tender is switched off at this store (`details.code`). Pick another; refunds to earlier payments still go back to it.',
  TENDER_INVALID_AMOUNT: 'A tendered amount is not a whole number of minor units, is negative, or is 0 for a non-cash tender (`details.index`). Send the amount in minor units.',
  TENDER_REFERENCE_REQUIRED: 'That tender needs a reference (card last 4 digits, transaction or voucher number; `details.code`). Send it with the payment.',
  TENDER_REFERENCE_INVALID: 'The reference is too long or does not match the tender\'s pattern (`details.code`). Check it and send it again.',
  TENDER_NO_CHANGE: 'The non-cash tenders add up to more than is due; only cash gives change (`details.nonCashLimitMinor` is the most the line may charge). Charge less.',
  TENDER_SHORT: 'The tenders do not cover the amount due (`details.shortMinor` is missing, after cash rounding when cash was given). Add a tender.',
  DRAWER_COUNT_INVALID: 'A drawer count names an unknown denomination or a count that is not a whole number >= 0 (`details.reason`). Count again.',
  DRAWER_NOT_OPEN: 'No open drawer session: cash cannot be taken or paid out. Open the drawer with a float count first.',
  DRAWER_ALREADY_OPEN: 'The drawer session is already open. Nothing to do; close it with a count at the end of the shift.',
  DRAWER_CLOSED: 'The drawer session is closed; nothing more can be recorded in it. Open a new session.',
  DRAWER_CASH_INSUFFICIENT: 'A cash refund, pay-out or pick-up is above the cash the drawer should hold (the amount held is not disclosed: the close is blind). Take out less, or refund to the original tender.',
  Z_DRAWER_OPEN: 'A drawer session is still open on the till: close it with a count before the Z.',
  Z_ALREADY_MADE: 'The business day already has its Z report; a Z cannot be made twice.',
  IDEMPOTENCY_CONFLICT: 'The idempotency key was already used for a different request. Start the action again (a new key).',
  INVALID_RULE_SET: 'The rule set is not valid or not newer than the installed one. Fix it at the head office.',
  INVALID_PIN: 'Wrong PIN. Try again; five wrong PINs in a row lock the person for five minutes.',
  MANAGER_PIN_REQUIRED: 'This needs a manager: the approval was given with a cashier\'s PIN. Ask a manager to enter theirs.',
  STAFF_LOCKED: 'Too many wrong PINs. Wait until `details.lockedUntil`, or a manager resets the PIN (`staff.changePin`).',
  DATABASE_TOO_NEW: 'The database was written by a newer Tillsmith. Install the newer version; do not delete data.',
  DATABASE_CORRUPT: 'The database is damaged. Nothing was changed. Call support to restore from backup or sync.',
  DATABASE_NOT_TILLSMITH: 'The data folder holds a file that is not a Tillsmith database. Check the data folder.',
  DISK_FULL: 'The disk is full, so nothing was saved. Free some space or call support, then try again.',
  STORAGE_BUSY: 'Another program has the database open. Close it and try again.',
  DEVICE_NOT_CONFIGURED: 'No such device is set up on this till (no receipt printer, no serial or USB scanner). A manager can set it up under Devices.',
  PRINT_JOB_NOT_FOUND: 'No print job with that id. Refresh the print queue.',
  PRINT_JOB_NOT_OPEN: 'The print job is not in a state that allows this (for example it has already printed). Refresh the print queue.',
  SCAN_TIMEOUT: 'Nothing was scanned in time. Check the scanner\'s cable and settings, then try the test again.',
  INVALID_BARCODE_LAYOUT: 'The scale-label layouts are not valid (`details.problems`): each fills the 13 digits of an EAN-13, no prefix starts another, a verifier digit only for 4- or 5-digit values. Correct the layout table.',
  CATALOGUE_FILE_UNREADABLE: 'The catalogue file cannot be read at all (`details.reason`: utf16, spreadsheet, mixed_encodings, undecodable, csv_syntax; `details.line` where known). Save it again as CSV (UTF-8 or GB18030) and send it again.',
  CATALOGUE_IMPORT_INVALID: 'The catalogue file still has problems (`details.count`, the first on `details.firstRow`); nothing was imported. Run the dry run, correct every row it lists, and import again.',
  INTERNAL: 'Something unexpected failed inside the till; nothing was saved. Try again; if it repeats, call support.',
};

// ---------------------------------------------------------------------------------------------
// Deterministic clock and random source
// ---------------------------------------------------------------------------------------------

/** A wall clock that only moves when told to. */
class StepClock {
  private t = Date.parse(START);
  now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}

/** A seeded byte stream (SHA-256 in counter mode): the same ids on every run. */
export function seededRandomBytes(seed: string): (n: number) => Uint8Array {
  let counter = 0;
  let pool = Buffer.alloc(0);
  return (n) => {
    while (pool.length < n) pool = Buffer.concat([pool, createHash('sha256').update(`${seed}:${counter++}`).digest()]);
    const out = new Uint8Array(pool.subarray(0, n));
    pool = pool.subarray(n);
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// Recording HTTP client
// ---------------------------------------------------------------------------------------------

interface Exchange {
  method: string;
  caption: string;
  httpMethod: 'POST' | 'GET';
  auth: 'token' | 'wrong' | 'none';
  /** The body exactly as sent, or null for none. */
  body: string | null;
  /** The input as an object, for pretty printing (null when the body is not JSON). */
  input: unknown;
  status: number;
  response: unknown;
}

interface ErrorExample extends Exchange {
  title: string;
}

class Recorder {
  readonly calls: Exchange[] = [];
  readonly errors: ErrorExample[] = [];

  constructor(
    private readonly url: string,
    private readonly clock: StepClock,
  ) {}

  private async send(method: string, opts: { httpMethod?: 'POST' | 'GET'; auth?: 'token' | 'wrong' | 'none'; body?: string | null }) {
    this.clock.advance(STEP_MS);
    const httpMethod = opts.httpMethod ?? 'POST';
    const auth = opts.auth ?? 'token';
    const headers: Record<string, string> = {};
    if (auth !== 'none') headers.authorization = `Bearer ${auth === 'token' ? TOKEN : 'wrong-token'}`;
    if (opts.body != null) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.url}/api/${method}`, { method: httpMethod, headers, ...(opts.body != null ? { body: opts.body } : {}) });
    return { status: res.status, response: (await res.json()) as Result<unknown> };
  }

  /** A call that must succeed; shown in the method's section. */
  async call<M extends Method>(method: M, input: Input<M>, caption = ''): Promise<Outputs[M]> {
    const body = JSON.stringify(input);
    const { status, response } = await this.send(method, { body });
    if (!response.ok) throw new Error(`${method} failed in the docs script: ${JSON.stringify(response.error)}`);
    this.calls.push({ method, caption, httpMethod: 'POST', auth: 'token', body, input, status, response });
    return response.value as Outputs[M];
  }

  /** A call that must fail with `code`; shown in the errors section. */
  async fail(
    title: string,
    code: ErrorCode,
    status: number,
    method: string,
    input: unknown,
    opts: { caption?: string; httpMethod?: 'POST' | 'GET'; auth?: 'token' | 'wrong' | 'none'; rawBody?: string } = {},
  ): Promise<void> {
    const body = opts.rawBody ?? (opts.httpMethod === 'GET' ? null : JSON.stringify(input));
    const r = await this.send(method, { body, ...(opts.httpMethod ? { httpMethod: opts.httpMethod } : {}), ...(opts.auth ? { auth: opts.auth } : {}) });
    if (r.response.ok || r.response.error.code !== code || r.status !== status) {
      throw new Error(`expected ${code} (${status}) from ${method}, got ${r.status} ${JSON.stringify(r.response)}`);
    }
    this.errors.push({
      title,
      method,
      caption: opts.caption ?? '',
      httpMethod: opts.httpMethod ?? 'POST',
      auth: opts.auth ?? 'token',
      body,
      input: opts.rawBody !== undefined ? null : input,
      status: r.status,
      response: r.response,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The story: one morning at the counter
// ---------------------------------------------------------------------------------------------

const demo = (name: string) => DEMO_STAFF.find((s) => s.name === name)!;

async function runScenario(api: Recorder, clock: StepClock, devices: DocDevices, terminal: Terminal): Promise<void> {
  await api.call('terminal.info', {});
  await api.call('rules.current', {});
  await api.call('rewards.list', {});
  const staff = await api.call('staff.list', {});
  const idOf = (name: string) => staff.find((s) => s.name === name)!.id;
  const cashier = demo('Wang Fang 王芳');
  const otherCashier = demo('Chen Jie 陈杰');
  const manager = demo('Li Na 李娜');
  const approval = { staffId: idOf(manager.name), pin: manager.pin };
  await api.call('session.current', {}, 'Before anyone signs in:');

  // Mistakes at the door
  await api.fail('Wrong bearer token', 'UNAUTHORIZED', 401, 'terminal.info', {}, { auth: 'wrong' });
  await api.fail('Nobody signed in', 'NOT_SIGNED_IN', 401, 'members.find', { query: '13812345678' }, {
    caption: 'Methods that act on members, sales or points need a signed-in staff member.',
  });

  await api.call('session.signIn', { staffId: idOf(cashier.name), pin: cashier.pin }, `The cashier ${cashier.name} signs in with her PIN:`);
  await api.call('session.current', {}, 'After sign-in:');

  // Registration
  const zhang = await api.call(
    'members.register',
    {
      idempotencyKey: 'reg-20260615-0001',
      phone: '138 1234 5678',
      name: '张伟',
      birthday: '1990-06-20',
      cardCode: '6222 0200 0000 0015',
      consentTerms: true,
      consentMarketing: true,
    },
    'A new member with a printed card (the phone number may be typed with spaces):',
  );
  const li = await api.call(
    'members.register',
    { idempotencyKey: 'reg-20260615-0002', phone: '13987654321', name: 'Li Xiaohong', referrer: '13812345678', consentTerms: true, consentMarketing: false },
    'A member referred by an existing member (by phone or card number); the welcome bonus is credited at once:',
  );
  await api.fail('A phone number that is already registered', 'DUPLICATE_PHONE', 409, 'members.register', {
    idempotencyKey: 'reg-20260615-0003',
    phone: '13812345678',
    name: 'Zhang Wei',
    consentTerms: true,
    consentMarketing: false,
  });
  await api.fail('Input that breaks the schema', 'INVALID_INPUT', 400, 'members.register', {
    idempotencyKey: 'reg-0004',
    phone: '13700001111',
    birthday: '20/06/1990',
    consentTerms: false,
    consentMarketing: false,
  }, { caption: 'Every problem is listed in `details.issues` with the path of the field.' });
  await api.fail('A body that is not JSON', 'INVALID_INPUT', 400, 'session.signIn', null, { rawBody: '{"staffId": "x", "pin": 1111' });
  await api.fail('A method that does not exist', 'UNKNOWN_METHOD', 404, 'members.delete', { memberId: zhang.id });
  await api.fail('GET instead of POST', 'INVALID_INPUT', 405, 'terminal.info', null, {
    httpMethod: 'GET',
    caption: 'The answer carries `Allow: POST`.',
  });

  const anon = await api.call(
    'members.activateCard',
    { idempotencyKey: 'act-20260615-0001', cardCode: 'NFC:04A1B2C3D4E5F6' },
    'An NFC card from the counter stack is tapped for the first time: an anonymous member who earns at once.',
  );

  // Scanning and look-up
  await api.call('members.scan', { raw: '6222020000000015' }, 'A known card (Code 128 barcode):');
  await api.call('members.scan', { raw: 'TSM1:6222020000000049' }, 'A Tillsmith QR code for a card nobody has yet (offer to activate or register it):');
  await api.call('members.scan', { raw: '6901234567892' }, 'A product barcode scanned by mistake:');
  await api.call('members.find', { query: '138 1234 5678', by: 'phone' }, 'By the whole phone number:');
  await api.call('members.find', { query: '5678' }, 'By the last four digits (`auto` recognises four digits):');
  await api.call('members.find', { query: '张伟', by: 'name' }, 'By a Chinese name:');
  await api.call('members.get', { memberId: zhang.id });
  await api.call('members.update', { memberId: li.id, birthday: '--03-08', consentMarketing: true }, 'A birthday without the year, and marketing consent given:');

  // Sales
  const riceCooker = { lineNo: 1, category: 'electronics', sku: '6901234567892', description: 'Rice cooker 电饭煲', quantity: 1, unitPriceMinor: 129900 };
  const rice = { lineNo: 2, category: 'grocery', description: 'Jasmine rice 5 kg', quantity: 2, unitPriceMinor: 4580, discountMinor: 500 };
  await api.call(
    'checkout.complete',
    { idempotencyKey: 'sale-20260615-0001', memberId: zhang.id, lines: [riceCooker, rice], redeemPoints: 0 },
    'Earning: the first purchase in the member\'s birthday month also earns the birthday bonus.',
  );
  const teaLines = [{ lineNo: 1, category: 'tea', sku: 'TEA-LJ-250', description: 'Longjing green tea 250 g', quantity: 3, unitPriceMinor: 6800 }];
  await api.call(
    'checkout.preview',
    { memberId: zhang.id, lines: teaLines, redeemPoints: 500 },
    'The member wants to pay ¥5 of ¥204 with points; `maxRedeem` tells the cashier the most they could use.',
  );
  const teaSale = { idempotencyKey: 'sale-20260615-0002', memberId: zhang.id, lines: teaLines, redeemPoints: 500 };
  const sale = await api.call('checkout.complete', teaSale, 'Redeeming 500 points (¥5) on the bill; points are earned on what is paid:');
  await api.call(
    'checkout.complete',
    teaSale,
    'The same request again (say the answer was lost to a timeout): the first sale is returned with `replayed: true`, and nothing is written twice.',
  );
  await api.fail('Not enough points', 'INSUFFICIENT_POINTS', 422, 'checkout.complete', {
    idempotencyKey: 'sale-20260615-0003',
    memberId: zhang.id,
    lines: [{ lineNo: 1, category: 'electronics', description: 'Electric kettle', quantity: 1, unitPriceMinor: 19900 }],
    redeemPoints: 5000,
  });
  await api.call(
    'checkout.complete',
    { idempotencyKey: 'sale-20260615-0004', memberId: li.id, lines: [{ lineNo: 1, category: 'bakery', description: 'Mooncake gift box', quantity: 1, unitPriceMinor: 8800 }] },
    'A referred member\'s first purchase (this also credits the referral bonus to the referrer):',
  );
  await api.call(
    'checkout.complete',
    { idempotencyKey: 'sale-20260615-0005', lines: [{ lineNo: 1, category: 'grocery', description: 'Soy sauce 500 ml', quantity: 2, unitPriceMinor: 1250 }] },
    'A sale without a member:',
  );
  await api.call('rewards.redeem', { idempotencyKey: 'reward-20260615-0001', memberId: zhang.id, rewardId: 'coupon-10' });

  // Returns
  await api.call(
    'refunds.create',
    { idempotencyKey: 'refund-20260615-0001', receiptNo: sale.receiptNo, lines: [{ lineNo: 1, quantity: 1 }] },
    'One of the three packs of tea comes back: a third of the paid amount is refunded, a third of the earned points taken back and a third of the redeemed points returned.',
  );
  await api.call('sales.get', { receiptNo: sale.receiptNo }, 'By receipt number, after the refund (`refundedQuantity`):');
  await api.call('sales.recent', { limit: 10 });

  // Devices (in this run the scanner and printer at the end of the wires are stand-ins: scripts/lib/doc-devices.ts)
  await api.call('devices.status', {}, 'Before any device is set up (a new till has none):');
  await api.call('devices.list', {}, 'What is plugged in. Here node-hid cannot load, and the answer says why; serial devices still work.');
  await api.call(
    'devices.configure',
    {
      config: {
        scanners: [{ id: 'counter-scanner', type: 'serial', path: '/dev/ttyACM0', baudRate: 9600, terminator: 'CR' }],
        printer: {
          connection: { transport: 'serial', path: '/dev/ttyUSB0', baudRate: 38400 },
          paperWidth: 80,
          encoding: 'gb18030',
          chineseMode: true,
          language: 'zh-Hans',
          headerLines: ['上海市浦东新区滨江大道1号'],
          openDrawer: true,
        },
      },
      approval,
    },
    'The manager sets up a serial scanner and an 80 mm printer with a Chinese font:',
  );
  devices.nextScan = '6222020000000031';
  await api.call('devices.testScan', { timeoutMs: 10000 }, 'The till waits for the next scan (here a new member card):');
  await api.call('devices.testPrint', {}, 'The answer comes once the test page has printed:');
  const copy = await api.call('printer.reprint', { receiptNo: sale.receiptNo }, 'A customer asks for a copy of the tea receipt:');
  await terminal.devices.queue.waitForJob(copy.id, 10_000);
  devices.printer()!.failNextWrite = true;
  const last = await api.call('printer.reprint', {}, 'A copy of the last receipt; this time the printer cable is pulled half-way through the job:');
  await terminal.devices.queue.waitForJob(last.id, 10_000);
  await api.call('printer.queue', { limit: 3 }, 'The interrupted copy needs checking (part of it may have printed):');
  await api.call('printer.resolveJob', { jobId: last.id, action: 'reprint' }, 'The cashier looks at the printer and prints it again:');

  // Manager work
  await api.fail('A cashier\'s PIN where a manager\'s is needed', 'MANAGER_PIN_REQUIRED', 403, 'points.adjust', {
    idempotencyKey: 'adjust-20260615-0001',
    memberId: li.id,
    points: 150,
    reason: 'Goodwill: receipt printer jammed',
    approval: { staffId: idOf(otherCashier.name), pin: otherCashier.pin },
  });
  await api.call(
    'points.adjust',
    { idempotencyKey: 'adjust-20260615-0001', memberId: li.id, points: 150, reason: 'Goodwill: receipt printer jammed', approval },
    `The manager ${manager.name} approves with her PIN:`,
  );
  await api.call('members.history', { memberId: zhang.id, limit: 10 });
  const lostCard = zhang.cards[0]!;
  await api.fail('A replacement card that already belongs to another member', 'CARD_ALREADY_ACTIVE', 409, 'members.replaceCard', {
    idempotencyKey: 'card-20260615-0001',
    memberId: zhang.id,
    cardId: lostCard.id,
    newCardCode: 'NFC:04A1B2C3D4E5F6',
    reason: 'lost',
  }, { caption: 'Nothing changes: the old card keeps working until a new card is bound.' });
  await api.call(
    'members.replaceCard',
    { idempotencyKey: 'card-20260615-0002', memberId: zhang.id, cardId: lostCard.id, newCardCode: '6222020000000031', reason: 'lost' },
    `The member lost their card: the cashier picks it by its id (shown as ${lostCard.maskedCode}) and scans a new pre-printed card.`,
  );
  await api.call('members.addCard', { memberId: zhang.id, cardCode: 'NFC:04C0FFEE' }, 'A second card for the same member, a key fob:');
  await api.call('members.deactivateCard', { cardCode: 'NFC:04C0FFEE', reason: 'stolen' }, 'The key fob was stolen:');
  await api.call('members.block', { memberId: anon.id, reason: 'Card shared between several customers', approval });
  await api.call('members.unblock', { memberId: anon.id, reason: 'Owner identified; card returned to them', approval });

  // Privacy requests
  await api.call('members.reveal', { memberId: li.id, approval });
  await api.call('members.export', { memberId: li.id, approval });
  await api.call('members.erase', { memberId: li.id, approval }, 'Erasure: the profile is anonymised and the cards stop working; the points history stays for the books.');

  // Staff and rules
  const zhao = await api.call('staff.create', { name: 'Zhao Lei 赵磊', role: 'cashier', pin: '4321', approval });
  await api.call('staff.changePin', { staffId: zhao.id, newPin: '8642', approval });
  await api.fail('Deactivating the only manager', 'FORBIDDEN', 403, 'staff.deactivate', { staffId: idOf(manager.name), approval }, {
    caption: 'Nobody could approve anything any more: add another manager first.',
  });
  await api.call('staff.deactivate', { staffId: zhao.id, approval }, 'Zhao Lei leaves the store: he can no longer sign in (once enrolled, on every till of the store):');
  const current = await api.call('rules.current', {}, 'Read the current rule set, to base the next version on it:');
  const next: RuleSet = {
    ...current,
    version: current.version + 1,
    effectiveFrom: '2026-06-16',
    campaigns: [
      ...current.campaigns,
      { id: 'tea-week', kind: 'multiplier', name: 'Tea week: double points on tea', from: '2026-06-16', to: '2026-06-22', multiplierBp: 20000, categories: ['tea'] },
    ],
  };
  await api.call('rules.install', { ruleSet: next, approval }, 'Version 2 adds a tea campaign from tomorrow; today\'s sales keep using version 1.');

  // The customer display and the manager's reports
  await api.call(
    'display.update',
    {
      mode: 'basket',
      language: 'zh-Hans',
      lines: [{ description: 'Longjing green tea 250 g', category: 'tea', quantity: 1, amountMinor: 6800 }],
      grossMinor: 6800,
      paidMinor: 6800,
      member: { tier: 'regular' },
      pointsEarned: 68,
    },
    'The cashier\'s screen keeps the customer display in step with the basket (in the customer\'s language):',
  );
  await api.call('display.state', {}, 'What a customer display opened now shows:');
  await api.fail('A cashier asks for a report', 'FORBIDDEN', 403, 'reports.sales', { period: 'today' }, { caption: 'Reports are for managers.' });
  await api.call('session.signIn', { staffId: idOf(manager.name), pin: manager.pin }, `The manager ${manager.name} signs in to read the reports:`);
  await api.call('reports.sales', { period: 'today' });
  await api.call('reports.points', { period: 'month' });
  await api.call('reports.members', { period: 'week' });
  await api.call('reports.churnRisk', { silentDays: 90, limit: 5 });
  await api.call('reports.exceptions', { period: 'today' });
  await api.call('reports.endOfDay', {}, 'The end-of-day summary of today:');
  await api.call('reports.printEndOfDay', {}, 'The same summary on the receipt printer:');

  // Taking the money: tenders, the cash drawer, closing the day
  const tenders = await api.call('tenders.config', {}, 'The store\'s tenders (cash, bank card, WeChat Pay, Alipay, voucher by default):');
  await api.call('tenders.setConfig', { config: tenders.config, paymentsAtTill: true }, 'The manager lets this till take the money: from now on a checkout must be covered by tenders.');
  await api.call('drawer.status', {}, 'No drawer session yet: cash cannot be taken.');
  await api.call('drawer.open', { idempotencyKey: '0197730a-0000-7000-8000-00000000d001', counts: { '10000': 2, '1000': 5, '100': 10 } }, 'The float is counted by denomination (keys in fen):');
  await api.call(
    'checkout.complete',
    {
      idempotencyKey: '0197730a-0000-7000-8000-00000000d002',
      lines: [{ lineNo: 1, sku: '6901234567892', description: 'Longjing green tea 250 g', category: 'tea', quantity: 1, unitPriceMinor: 6800 }],
      tenders: [
        { code: 'WECHAT', amountMinor: 3000, reference: '4200001234567890' },
        { code: 'CASH', amountMinor: 5000 },
      ],
    },
    'Split between WeChat Pay (with its transaction number) and cash, with change:',
  );
  await api.call('drawer.payIn', { idempotencyKey: '0197730a-0000-7000-8000-00000000d003', amountMinor: 2000, reason: 'Coins from the bank', approval });
  await api.call('drawer.payOut', { idempotencyKey: '0197730a-0000-7000-8000-00000000d004', amountMinor: 1500, reason: 'Window cleaner', approval });
  await api.call('drawer.pickup', { idempotencyKey: '0197730a-0000-7000-8000-00000000d005', counts: { '10000': 1 } }, 'A pick-up to the safe:');
  await api.call('drawer.noSale', { idempotencyKey: '0197730a-0000-7000-8000-00000000d006', reason: 'Change for the shop next door', approval });
  await api.call('drawer.close', { idempotencyKey: '0197730a-0000-7000-8000-00000000d007', counts: { '10000': 1, '5000': 1, '1000': 1, '100': 10 } }, 'The blind close: the count first, then what the till expected:');
  await api.call('reports.x', {}, 'The X report: the day so far, changing nothing:');
  await api.call('day.close', { idempotencyKey: '0197730a-0000-7000-8000-00000000d008' }, 'The Z report closes the business day:');
  await api.call('reports.zList', { limit: 5 });
  await api.call('reports.printDay', { zNo: 1 }, 'The Z on the receipt printer:');
  await api.call('reports.checkSummaries', {}, 'The summaries the reports read, checked against the sales themselves:');

  // A year later
  clock.set('2027-06-16T01:00:00.000Z');
  await api.call('points.runExpiry', {}, 'A year later (the example clock jumps to 16 June 2027), last June\'s points expire:');
  await api.call('ledger.verify', {});
  await api.call('audit.verify', {});

  // Head office sets up a central server; the manager enrols the till with the code they sent.
  await api.call('sync.status', {}, 'Until it is enrolled, the till works standalone:');
  await api.call('sync.enrol', { serverUrl: DOC_SERVER_URL, code: DOC_ENROLMENT_CODE, approval }, 'The manager enrols the till with the one-time code from head office:');
  await api.call('sync.now', {}, 'Everything made so far goes to the server, and the till learns what other stores did:');
  await api.call('sync.problems', { limit: 5 }, 'Nothing was rejected or held aside:');
  await api.call('session.signOut', {});
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/** Replaces the temporary data folder and trims long arrays. */
function present(v: unknown, dataDir: string): unknown {
  if (typeof v === 'string') return v.split(dataDir).join(DOC_DATA_DIR);
  if (Array.isArray(v)) {
    const items = v.map((x) => present(x, dataDir));
    return items.length > TRIM_ABOVE ? [...items.slice(0, TRIM_KEEP), `… ${items.length - TRIM_KEEP} more`] : items;
  }
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, present(x, dataDir)]));
  return v;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function curlOf(x: Exchange): string {
  const lines = [`curl -sS${x.httpMethod === 'GET' ? ' -i' : ''} ${DOC_URL}/api/${x.method}`];
  if (x.auth !== 'none') lines.push(`-H ${shellQuote(`Authorization: Bearer ${x.auth === 'token' ? TOKEN : 'wrong-token'}`)}`);
  if (x.body !== null) {
    lines.push(`-H 'Content-Type: application/json'`);
    lines.push(`-d ${shellQuote(x.input === null ? x.body : JSON.stringify(x.input, null, 2))}`);
  }
  return lines.join(' \\\n  ');
}

function exchangeBlock(x: Exchange, dataDir: string): string {
  const out: string[] = [];
  if (x.caption) out.push(x.caption, '');
  out.push('```bash', curlOf(x), '```', '');
  out.push(`HTTP ${x.status}`, '', '```json', JSON.stringify(present(x.response, dataDir), null, 2), '```', '');
  return out.join('\n');
}

type JsonSchema = {
  type?: string;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
};

/** Readable names for the contract's string patterns; anything else is shown as the regex. */
const PATTERNS: Record<string, string> = {
  '^\\d{4,8}$': '4 to 8 digits',
  '^(\\d{4}-|--)\\d{2}-\\d{2}$': '`YYYY-MM-DD` or `--MM-DD`',
};

/** 100000000000 -> 100,000,000,000 (no Intl: the same text everywhere). */
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function range(lo: number | undefined, hi: number | undefined, unit = ''): string {
  const l = lo !== undefined && Math.abs(lo) < Number.MAX_SAFE_INTEGER ? grouped(lo) : undefined;
  const h = hi !== undefined && Math.abs(hi) < Number.MAX_SAFE_INTEGER ? grouped(hi) : undefined;
  if (l !== undefined && h !== undefined) return `${l}–${h}${unit}`;
  if (l !== undefined) return `≥ ${l}${unit}`;
  if (h !== undefined) return `≤ ${h}${unit}`;
  return '';
}

function typeOf(name: string, s: JsonSchema): string {
  if (name === 'approval') return '[manager approval](#manager-approvals) `{ staffId, pin }`';
  if (name === 'ruleSet') return 'rule set object (as returned by `rules.current`)';
  if (s.anyOf) {
    const nonNull = s.anyOf.filter((x) => x.type !== 'null');
    const t = nonNull.map((x) => typeOf(name, x)).join(' or ');
    return nonNull.length < s.anyOf.length ? `${t} or null` : t;
  }
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return `one of ${s.enum.map((e) => `\`${String(e)}\``).join(', ')}`;
  const extra: string[] = [];
  if (s.type === 'string') {
    const r = range(s.minLength, s.maxLength, ' chars');
    if (s.pattern) extra.push(PATTERNS[s.pattern] ?? `\`${s.pattern}\``);
    else if (r) extra.push(r);
  } else if (s.type === 'integer' || s.type === 'number') {
    const r = range(s.minimum, s.maximum);
    if (r) extra.push(r);
  } else if (s.type === 'array') {
    const r = range(s.minItems, s.maxItems, ' items');
    if (r) extra.push(r);
    return `array${extra.length ? ` (${extra.join(', ')})` : ''}`;
  }
  return `${s.type ?? 'any'}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

function inputRows(schema: JsonSchema, prefix = ''): string[] {
  const rows: string[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    const req = required.has(name) ? 'yes' : s.default !== undefined ? `no (default \`${JSON.stringify(s.default)}\`)` : 'no';
    rows.push(`| \`${prefix}${name}\` | ${typeOf(name, s).replace(/\|/g, '\\|')} | ${req} |`);
    if (s.type === 'array' && s.items?.properties) rows.push(...inputRows(s.items, `${prefix}${name}[].`));
  }
  return rows;
}

function inputTable(method: Method): string {
  const schema = z.toJSONSchema(contract[method].input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const rows = inputRows(schema);
  if (rows.length === 0) return 'Input: none (send `{}` or an empty body).\n';
  return ['| Field | Type | Required |', '| --- | --- | --- |', ...rows, ''].join('\n');
}

const slug = (heading: string) => heading.toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-');

/** Methods whose input has an `approval` field, required or optional. */
function approvalMethods(): { required: Method[]; optional: Method[] } {
  const required: Method[] = [];
  const optional: Method[] = [];
  for (const m of METHODS) {
    const s = z.toJSONSchema(contract[m].input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    if (!s.properties?.approval) continue;
    (s.required?.includes('approval') ? required : optional).push(m);
  }
  return { required, optional };
}

const idempotentMethods = () =>
  METHODS.filter((m) => (z.toJSONSchema(contract[m].input, { io: 'input', unrepresentable: 'any' }) as JsonSchema).properties?.idempotencyKey);

const code = (m: string) => `[\`${m}\`](#${slug(m)})`;

function render(rec: Recorder, dataDir: string): string {
  const approvals = approvalMethods();
  const noSession = METHODS.filter((m) => contract[m].access === 'none');
  const out: string[] = [];
  out.push(`<!-- Generated by scripts/gen-api-docs.ts (npm run docs:api) from a real run. Do not edit by hand:
     test/integration/bridge/api-docs.test.ts fails when this file is out of date. -->

# Tillsmith terminal API

Everything the till can do is one typed API, \`PosApi\`, defined in \`src-shared/api/contract.ts\`
(a zod input schema per method) with its answers in \`src-shared/api/dto.ts\`. The cashier's screen
and outside tools (scripts, tests, a future head-office agent) use the same methods, the same
validation and the same errors. This document lists every method in contract order, each with a
request and the response a real terminal gave to it.

Contents: [Transports](#transports) · [Starting a headless terminal](#starting-a-headless-terminal) ·
[Authentication](#authentication) · [Errors](#errors) · [Idempotency keys and replays](#idempotency-keys-and-replays) ·
[Manager approvals](#manager-approvals) · [Money, points and time](#money-points-and-time) ·
[Personal data and masking](#personal-data-and-masking) · [About the examples](#about-the-examples) ·
[Errors in practice](#errors-in-practice) · [Methods](#methods)

## Transports

**Electron IPC.** In the desktop app the renderer calls

\`\`\`ts
const result = await window.pos.invoke('members.find', { query: '5678' });
if (result.ok) show(result.value); else explain(result.error); // { code, message, details }
\`\`\`

\`invoke\` never rejects: failures come back as \`{ ok: false, error }\`. The preload exposes only
\`invoke\` and \`on\` over two fixed channels; the main process checks the sender and the method name
against the contract before anything runs.

**HTTP bridge.** Headless terminals (browser mode, scripts, tests) serve the same dispatcher on a
loopback address:

- \`POST /api/<method>\` with a JSON body (the method's input; an empty body counts as \`{}\`) and
  \`Authorization: Bearer <token>\`.
- The answer is always JSON: \`{ "ok": true, "value": … }\` with status 200, or
  \`{ "ok": false, "error": { "code", "message", "details" } }\` with the error's status (table below).
- Bodies are limited to 1 MiB (\`413\`, code \`INVALID_INPUT\`); any other HTTP method on \`/api/…\`
  is \`405\` with \`Allow: POST\`.
- The bridge binds to loopback only (\`127.0.0.1\`, \`::1\` or \`localhost\`) and refuses any other
  address. With \`--static-dir\`, other \`GET\` requests serve the built cashier UI.

## Starting a headless terminal

\`\`\`bash
npm run terminal -- --headless --data-dir ${DOC_DATA_DIR} --port 8787 --token ${TOKEN}
\`\`\`

| Option | Meaning |
| --- | --- |
| \`--data-dir DIR\` | Folder of \`terminal.sqlite\` (created and migrated on first start). Default \`$TILLSMITH_DATA_DIR\`, else \`~/.local/share/tillsmith\`. |
| \`--port N\` | Port on 127.0.0.1; \`0\` (the default) picks a free one. |
| \`--token T\` | Bearer token callers must send. Without it a random token is made and printed. |
| \`--seed-members N\` | On a new data folder, create the demo store (staff with demo PINs) with \`N\` members. |
| \`--static-dir DIR\` | Serve the built renderer at \`/\` (browser mode). |

It prints where it listens; read the URL from the first line:

\`\`\`text
Tillsmith terminal (headless) listening on ${DOC_URL}
  data folder: ${DOC_DATA_DIR}
  API: POST ${DOC_URL}/api/<method> with "Authorization: Bearer <your token>"
\`\`\`

\`SIGINT\` or \`SIGTERM\` closes the bridge and the database and exits with status 0.

## Authentication

There are two layers:

1. **The bearer token** proves the caller may talk to this terminal at all. A missing or wrong
   token is \`401 UNAUTHORIZED\` before the body is read.
2. **The staff session**: one staff member is signed in at the counter at a time
   ([\`session.signIn\`](#sessionsignin) with their staff id and PIN). Methods that touch members,
   sales or points need it and answer \`401 NOT_SIGNED_IN\` when nobody is signed in; the staff id is
   recorded on every sale, ledger entry and audit entry. These methods work without a session:
   ${noSession.map(code).join(', ')}.

Both cases use the code \`UNAUTHORIZED\`; the \`message\` says which one it is. PINs are hashed with
scrypt; five wrong PINs in a row lock that person for five minutes (\`STAFF_LOCKED\`).

## Errors

Every error has the same shape, over IPC and HTTP:

\`\`\`json
{ "ok": false, "error": { "code": "INSUFFICIENT_POINTS", "message": "…", "details": { } } }
\`\`\`

- \`code\` is stable: programs and the UI branch on it (the UI shows its own words in the cashier's language).
- \`message\` is English, for logs and API callers; it never contains internals.
- \`details\` holds structured facts (\`issues\` for \`INVALID_INPUT\`, \`maxPoints\`, \`memberId\`, \`lockedUntil\`, …).

| Code | HTTP | What to do |
| --- | --- | --- |
${(Object.keys(ERROR_CODES) as ErrorCode[]).map((c) => `| \`${c}\` | ${ERROR_CODES[c]} | ${ERROR_DOCS[c]} |`).join('\n')}

## Idempotency keys and replays

Methods that write money or points take an \`idempotencyKey\` (8 to 100 characters):
${idempotentMethods().map(code).join(', ')}.

- Make one key per user action (a UUID is fine) and keep it until the action is confirmed.
- If the answer is lost (timeout, crash, network), send **the same request with the same key**:
  the terminal answers with the first result and writes nothing again. Sales, refunds, rewards,
  adjustments and card replacements then carry \`"replayed": true\`; \`members.register\` and \`members.activateCard\`
  return the member created the first time.
- The same key with a different request (another basket, other lines, other points) is
  \`409 IDEMPOTENCY_CONFLICT\`: start the action again with a new key.

## Manager approvals

Some actions need a manager at the counter as well as the signed-in cashier. The request carries
the manager's approval, checked on the spot (it does not sign the manager in):

\`\`\`json
"approval": { "staffId": "<a manager's staff id>", "pin": "9999" }
\`\`\`

- Always needed for: ${approvals.required.map(code).join(', ')}.
- Optional, to override a risk hold or the offline redemption limit: ${approvals.optional.map(code).join(', ')}.
- A wrong PIN is \`401 INVALID_PIN\` (and counts towards that manager's lock); a cashier's correct
  PIN is \`403 MANAGER_PIN_REQUIRED\`. Every approval is written to the audit log with both names.

## Money, points and time

- **Money** is an integer number of minor units of the store's currency (fen for CNY:
  \`12990\` is ¥129.90). Fields holding money end in \`Minor\`. There are no floating-point amounts.
- **Points** are integers. Ledger entries that take points away are negative.
- With the default rules, 1 point is earned per whole yuan paid (times the tier multiplier) and
  100 points pay ¥1, in steps of 100, for at most half of a bill.
- **Times** are ISO 8601 in UTC (\`createdAt\`); a **business date** (\`businessDate\`, \`YYYY-MM-DD\`)
  is the store's local day (\`timeZone\` in \`terminal.info\`). Receipts record the rule-set version used.

## Personal data and masking

Answers never carry personal data in the clear unless a manager asked for it:

- phone \`+8613812345678\` is shown as \`138****5678\`;
- Chinese names keep the family name (\`张伟\` → \`张*\`), Latin names the first name and an initial
  (\`Li Xiaohong\` → \`Li X.\`);
- card numbers show the first and last four digits (\`6222 **** **** 0015\`), NFC ids the first and
  last byte; only \`members.scan\` returns the \`code\` that was just scanned;
- birthdays are \`MM-DD\` (\`birthdayMonthDay\`); the year is never shown.

The full data is returned only by [\`members.reveal\`](#membersreveal) and [\`members.export\`](#membersexport),
with a manager's approval, and every such call is audited. [\`members.erase\`](#memberserase) anonymises
a member for good.

## About the examples

The examples below are one real run of \`scripts/gen-api-docs.ts\`: a headless terminal on a new data
folder with the demo staff (${DEMO_STAFF.map((s) => `${s.name}, ${s.role}, PIN ${s.pin}`).join('; ')})
and no members, and a morning at the counter told in HTTP calls. The clock starts at
${START} (10:00 in Asia/Shanghai) and moves 20 seconds per call; ids come from a seeded random source,
so every run writes the same file. The run order is the story's order, so each answer reflects what
happened before it. In the document the address is \`${DOC_URL}\`, the data folder \`${DOC_DATA_DIR}\`,
and arrays longer than ${TRIM_ABOVE} items are cut to their first ${TRIM_KEEP} with a \`"… N more"\` marker.

## Errors in practice
`);
  for (const e of rec.errors) {
    out.push(`### ${e.status} ${e.response && (e.response as Result<unknown>).ok === false ? (e.response as { error: { code: string } }).error.code : ''}: ${e.title}\n`);
    out.push(exchangeBlock(e, dataDir));
  }
  out.push('## Methods\n');
  out.push(METHODS.map((m) => `${code(m)}`).join(' · ') + '\n');
  for (const m of METHODS) {
    const doc = METHOD_DOCS[m];
    out.push(`### ${m}\n`);
    out.push(`${doc.purpose}\n`);
    const access = contract[m].access;
    const facts: string[] = [
      access === 'none' ? 'Works without a signed-in staff member.' : access === 'manager' ? 'Needs a signed-in manager.' : 'Needs a signed-in staff member.',
    ];
    if (approvals.required.includes(m)) facts.push('Needs a manager approval.');
    if (idempotentMethods().includes(m)) facts.push('Takes an idempotency key.');
    out.push(`${facts.join(' ')}${doc.notes ? ` ${doc.notes}` : ''}\n`);
    out.push(inputTable(m));
    const examples = rec.calls.filter((x) => x.method === m);
    if (examples.length === 0) throw new Error(`the docs script never called ${m}: add it to the story`);
    for (const x of examples) out.push(exchangeBlock(x, dataDir));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

// ---------------------------------------------------------------------------------------------

/** Runs the story against a fresh headless terminal and returns the text of docs/api.md. */
export async function generateApiDocs(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillsmith-api-docs-'));
  const clock = new StepClock();
  const devices = docDevices(() => clock.now().getTime());
  const server = await startDocServer(dataDir, () => clock.now().getTime());
  const terminal = await createTerminal({
    dataDir,
    startSync: false,
    // The story's till talks to the real server on its real port, shown as DOC_SERVER_URL.
    sync: { clientFor: (url) => createSyncClient({ baseUrl: url.replace(DOC_SERVER_URL, server.url), now: () => clock.now().getTime() }) },
    now: clock.now,
    randomBytes: seededRandomBytes('tillsmith-api-docs'),
    pinKdfCost: 1024,
    // The story starts with a till beside another register; the manager switches payments on later.
    seedDemo: { members: 0, paymentsAtTill: false },
    devices: { env: devices.env },
  });
  try {
    const bridge = await startHttpBridge({ dispatch: terminal.dispatch, token: TOKEN });
    try {
      const rec = new Recorder(bridge.url, clock);
      await runScenario(rec, clock, devices, terminal);
      return render(rec, dataDir);
    } finally {
      await bridge.close();
    }
  } finally {
    await terminal.close();
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A real central server (SQLite) for the sync part of the story, with one store and a known code. */
async function startDocServer(dataDir: string, now: () => number): Promise<{ url: string; close(): Promise<void> }> {
  const sdb = await openServerDatabase(`sqlite:${path.join(dataDir, 'server.sqlite')}`);
  const app = await buildApp({ sdb, now, rateLimits: false, adminToken: null });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const store = await createStore(sdb, now, { name: 'Tillsmith Demo Store', timeZone: 'Asia/Shanghai' });
  await sdb.db
    .insertInto('enrolment_code')
    .values({ code_hash: hashEnrolmentCode(DOC_ENROLMENT_CODE), store_id: store.id, created_at: new Date(now()).toISOString(), expires_at: new Date(now() + 86_400_000 * 400).toISOString(), used_at: null, used_by: null })
    .execute();
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await sdb.close();
    },
  };
}

async function main(): Promise<void> {
  const text = await generateApiDocs();
  fs.mkdirSync(path.dirname(API_DOCS_PATH), { recursive: true });
  fs.writeFileSync(API_DOCS_PATH, text);
  console.log(`wrote ${path.relative(process.cwd(), API_DOCS_PATH)} (${METHODS.length} methods, ${text.length} characters)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
