import type { MemberDto, MemberSummaryDto, StaffDto, TerminalInfoDto } from '../../../src-shared/api/dto';

export const CASHIER: StaffDto = { id: 'staff-cashier', name: 'Wang Fang 王芳', role: 'cashier', active: true };
export const MANAGER: StaffDto = { id: 'staff-manager', name: 'Li Na 李娜', role: 'manager', active: true };

export const INFO: TerminalInfoDto = {
  terminalId: '0193f1c2-0000-7000-8000-000000000001',
  storeId: '0193f1c2-0000-7000-8000-000000000002',
  storeName: 'Test Store',
  timeZone: 'Asia/Shanghai',
  currency: 'CNY',
  appVersion: '0.1.0',
  schemaVersion: 1,
  dataDir: '/tmp/tillsmith-test',
  ruleSetVersion: 1,
  connectivity: 'standalone',
  memberCount: 2,
};

export const SUMMARY: MemberSummaryDto = {
  id: 'member-1',
  maskedName: '王*',
  maskedPhone: '138****5678',
  tier: 'gold',
  balance: 12_345,
  status: 'active',
};

export const MEMBER: MemberDto = {
  ...SUMMARY,
  birthdayMonthDay: '06-01',
  birthdayThisMonth: true,
  registeredAt: '2025-01-02T03:04:05.000Z',
  consentMarketing: false,
  anonymous: false,
  mergedInto: null,
  cards: [{ id: 'card-1', maskedCode: '6222 **** **** 1234', kind: 'printed', status: 'active' }],
  expiringSoon: { points: 0, firstExpiry: null, withinDays: 30 },
  periodSpendMinor: 100_00,
  nextTier: { tier: 'diamond', spendMinor: 50_000_00 },
  offlineRedeemRemaining: null,
};
