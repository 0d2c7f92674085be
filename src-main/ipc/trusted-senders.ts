/**
 * The web contents main created itself (GitHub Desktop's trusted-IPC-sender pattern, Electron
 * security checklist item 17). Only these may call the core or receive its events.
 * Structural types keep this file free of Electron at run time (unit-testable in plain Node).
 */
export interface TrustedTarget {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export class TrustedSenders {
  private readonly targets = new Map<number, TrustedTarget>();

  add(target: TrustedTarget): void {
    this.targets.set(target.id, target);
  }

  remove(id: number): void {
    this.targets.delete(id);
  }

  isTrusted(sender: { readonly id: number } | null | undefined): boolean {
    return sender != null && this.targets.has(sender.id);
  }

  /** Live trusted targets (destroyed ones are dropped). */
  live(): TrustedTarget[] {
    const out: TrustedTarget[] = [];
    for (const [id, t] of this.targets) {
      if (t.isDestroyed()) this.targets.delete(id);
      else out.push(t);
    }
    return out;
  }
}
