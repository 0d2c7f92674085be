/**
 * A minimal typed event emitter for device sources: `on` returns an unsubscribe function,
 * and a listener that throws never breaks the device loop (the error is reported to
 * `onListenerError`, by default console.error).
 */
export class TypedEvents<Events extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  constructor(private readonly onListenerError: (err: unknown) => void = (err) => console.error(err)) {}

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const stored = listener as (payload: never) => void;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const l of [...set]) {
      try {
        (l as (payload: Events[K]) => void)(payload);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  removeAll(): void {
    this.listeners.clear();
  }
}
