import type { Input, Method, Outputs } from '../../src-shared/api/contract';
import type { Result } from '../../src-shared/api/dto';

/**
 * What the preload exposes as `window.pos`, and nothing more: one typed call and one event
 * subscription. Errors never reject: they come back as `{ ok: false, error }`.
 */
export interface PosBridge {
  invoke<M extends Method>(method: M, input: Input<M>): Promise<Result<Outputs[M]>>;
  /** Subscribes to a core event; returns the function that unsubscribes. */
  on(event: string, callback: (payload: unknown) => void): () => void;
}
