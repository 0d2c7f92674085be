import {
  DEFAULT_TENDER_TYPES,
  parseTenderConfig,
  type CashRounding,
  type TenderConfig,
  type TenderConfigInput,
} from '../../../src-shared/tenders/tender-types';

export { expectDomainError } from '../domain/fixtures';

/** The default tenders with a given cash rounding (and any other overrides). */
export function config(cashRounding: CashRounding = 'none', extra: Partial<TenderConfigInput> = {}): TenderConfig {
  return parseTenderConfig({ tenderTypes: DEFAULT_TENDER_TYPES, cashRounding, ...extra });
}

export const cash = (amountMinor: number) => ({ code: 'CASH', amountMinor });
export const card = (amountMinor: number, reference: string | null = '1234') => ({ code: 'CARD', amountMinor, reference });
export const wechat = (amountMinor: number, reference: string | null = '4200001234202611220012345678') => ({
  code: 'WECHAT',
  amountMinor,
  reference,
});
export const alipay = (amountMinor: number, reference: string | null = '2026112222001412340500012345') => ({
  code: 'ALIPAY',
  amountMinor,
  reference,
});
export const voucher = (amountMinor: number, reference: string | null = 'MT-88001') => ({
  code: 'VOUCHER',
  amountMinor,
  reference,
});
