import type { TenderConfigDto } from '../../src-shared/api/contract-money';
import { DEFAULT_TENDER_CONFIG, denominationsFor, parseTenderConfig, type TenderConfig } from '../../src-shared/tenders/tender-types';
import { appendAudit } from '../core/audit.repo';
import type { CoreContext, Executor, StaffRow } from '../core/context';
import { inTransaction } from '../db/transaction';

/** The `meta` key the settings are kept under (the demo store's seed writes its own). */
export const TENDER_SETTINGS_META_KEY = 'tender_settings';
const KEY = TENDER_SETTINGS_META_KEY;

export interface TenderSettingsValue {
  config: TenderConfig;
  /**
   * The till takes the money: a checkout must be covered by tenders. Off, the till runs the
   * loyalty programme beside another register and a sale records no tenders.
   */
  paymentsAtTill: boolean;
}

/**
 * The store's tender settings (tender types, cash rounding, denominations, refund approval), kept
 * in `meta` and cached: every checkout reads them, a manager changes them rarely.
 */
export class TenderSettings {
  private cached: TenderSettingsValue | undefined;

  constructor(private readonly ctx: CoreContext) {}

  async get(ex: Executor = this.ctx.db): Promise<TenderSettingsValue> {
    if (this.cached) return this.cached;
    const row = await ex.selectFrom('meta').select('value').where('key', '=', KEY).executeTakeFirst();
    const stored = row ? (JSON.parse(row.value) as { config: unknown; paymentsAtTill: boolean }) : null;
    this.cached = stored ? { config: parseTenderConfig(stored.config), paymentsAtTill: stored.paymentsAtTill === true } : { config: DEFAULT_TENDER_CONFIG, paymentsAtTill: false };
    return this.cached;
  }

  async dto(): Promise<TenderConfigDto> {
    const v = await this.get();
    return { ...v, currency: this.ctx.currency, denominations: [...denominationsFor(v.config, this.ctx.currency)] };
  }

  /** A manager's change, audited; the configuration is validated as a whole (INVALID_TENDER_CONFIG). */
  async set(input: { config: unknown; paymentsAtTill: boolean }, staff: StaffRow): Promise<TenderConfigDto> {
    const config = parseTenderConfig(input.config);
    denominationsFor(config, this.ctx.currency);
    const value: TenderSettingsValue = { config, paymentsAtTill: input.paymentsAtTill };
    await inTransaction(this.ctx.db, async (trx) => {
      await trx
        .insertInto('meta')
        .values({ key: KEY, value: JSON.stringify(value) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
        .execute();
      await appendAudit(trx, this.ctx, { action: 'tenders.configured', staffId: staff.id, details: { paymentsAtTill: value.paymentsAtTill, tenders: config.tenderTypes.map((t) => t.code), cashRounding: config.cashRounding } });
    });
    this.cached = value;
    return this.dto();
  }
}
