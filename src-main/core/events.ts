import type { PosEventName, PosEvents } from '../../src-shared/api/events';
import { consoleLog, type Log } from './log';

type Listener<E extends PosEventName> = (payload: PosEvents[E]) => void;

/**
 * The core's typed event bus. Transports subscribe with `onAny` (IPC forwards to windows, the
 * HTTP bridge to its event streams); a throwing listener never breaks the emitter.
 */
export class EventBus {
  private readonly listeners = new Map<PosEventName, Set<Listener<PosEventName>>>();
  private readonly any = new Set<(event: PosEventName, payload: unknown) => void>();

  constructor(private readonly log: Log = consoleLog) {}

  on<E extends PosEventName>(event: E, listener: Listener<E>): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as Listener<PosEventName>);
    this.listeners.set(event, set);
    return () => set.delete(listener as Listener<PosEventName>);
  }

  onAny(listener: (event: PosEventName, payload: unknown) => void): () => void {
    this.any.add(listener);
    return () => this.any.delete(listener);
  }

  emit<E extends PosEventName>(event: E, payload: PosEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) this.safely(event, () => l(payload));
    for (const l of this.any) this.safely(event, () => l(event, payload));
  }

  private safely(event: PosEventName, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.error({ err: e, event }, 'event listener failed');
    }
  }
}
