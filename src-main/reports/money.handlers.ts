import type { AreaHandlers } from '../core/handlers';
import type { DrawerService } from '../ledger/drawer.service';
import type { TenderSettings } from '../ledger/tender-settings';
import type { DayCloseService } from './day-close.service';

type MoneyMethods =
  | 'tenders.config' | 'tenders.setConfig' | 'drawer.status' | 'drawer.open' | 'drawer.payIn' | 'drawer.payOut' | 'drawer.pickup'
  | 'drawer.noSale' | 'drawer.close' | 'reports.x' | 'day.close' | 'reports.zList';

export interface MoneyHandlerDeps {
  settings: TenderSettings;
  drawer: DrawerService;
  dayClose: DayCloseService;
}

/** Taking the money: the store's tenders, the cash drawer session, and closing the day (X and Z). */
export function createMoneyHandlers({ settings, drawer, dayClose }: MoneyHandlerDeps): AreaHandlers<MoneyMethods> {
  return {
    'tenders.config': () => settings.dto(),
    'tenders.setConfig': (input, { staff }) => settings.set(input, staff),
    'drawer.status': () => drawer.status(),
    'drawer.open': (input, { staff }) => drawer.open(input, staff),
    'drawer.payIn': ({ approval: _a, ...input }, { staff, approver }) => drawer.move('pay_in', input, staff, approver),
    'drawer.payOut': ({ approval: _a, ...input }, { staff, approver }) => drawer.move('pay_out', input, staff, approver),
    'drawer.pickup': (input, { staff }) => drawer.move('pickup', input, staff, null),
    'drawer.noSale': ({ approval: _a, ...input }, { staff, approver }) => drawer.move('no_sale', input, staff, approver),
    'drawer.close': (input, { staff }) => drawer.close(input, staff),
    'reports.x': () => dayClose.x(),
    'day.close': (input, { staff }) => dayClose.z(input, staff),
    'reports.zList': ({ limit }) => dayClose.list(limit),
  };
}
