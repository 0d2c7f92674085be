import type { DisplayStateDto } from '../../src-shared/api/contract-reports';
import type { ParsedInput } from '../../src-shared/api/contract';

/**
 * The customer display's state, held by the core in memory: the cashier's screen sends it
 * (`display.update`), every customer display (a second Electron window, or a browser page on a
 * second screen) reads it (`display.state`) and follows `display.changed`. Going through the core
 * rather than a BroadcastChannel works across windows, processes and machines the same way in
 * Electron and in browser mode. Nothing personal: the member's tier and points only.
 */
export class DisplayState {
  private state: DisplayStateDto;

  constructor(
    private readonly currency: string,
    private readonly now: () => Date,
  ) {
    this.state = DisplayState.idle(currency);
  }

  static idle(currency: string): DisplayStateDto {
    return {
      mode: 'idle',
      language: 'zh-Hans',
      lines: [],
      grossMinor: 0,
      redeemedPoints: 0,
      redeemedValueMinor: 0,
      paidMinor: 0,
      member: null,
      pointsEarned: null,
      balanceAfter: null,
      receiptNo: null,
      tenders: [],
      remainingMinor: null,
      changeMinor: 0,
      currency,
      seq: 0,
      updatedAt: null,
    };
  }

  current(): DisplayStateDto {
    return this.state;
  }

  /** Replaces the state (an idle update also clears the basket). Returns the new state. */
  update(input: ParsedInput<'display.update'>): DisplayStateDto {
    const base = input.mode === 'idle' ? { ...DisplayState.idle(this.currency), language: input.language } : { ...input };
    this.state = { ...base, currency: this.currency, seq: this.state.seq + 1, updatedAt: this.now().toISOString() };
    return this.state;
  }
}
