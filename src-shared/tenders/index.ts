export * from './tender-types';
export * from './payment';
export * from './refund-tenders';
export * from './denominations';
export * from './drawer';
