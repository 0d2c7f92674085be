declare module 'pino-roll' {
  import type { DestinationStream } from 'pino';

  /** pino-roll's options (https://github.com/mcollina/pino-roll), the ones the till uses. */
  interface RollOptions {
    file: string;
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    mkdir?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
  }

  /** A SonicBoom stream writing to `file`, rolled by size and/or time. */
  export default function build(options: RollOptions): Promise<DestinationStream & { end(): void; flushSync(): void; once(event: 'close' | 'write', cb: () => void): void; on(event: 'error', cb: (e: Error) => void): void }>;
}
