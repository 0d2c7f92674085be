import { randomBytes } from 'node:crypto';
import { startHttpBridge } from '../bridge/http-bridge';
import type { Connectivity } from '../core/context';
import { createTerminal, type Terminal } from './create-terminal';

export interface HeadlessOptions {
  dataDir: string;
  port?: number;
  token?: string;
  staticDir?: string | null;
  seedDemo?: false | { members: number };
  pinKdfCost?: number;
  /** Forces what the terminal believes about the network (UI tests of offline trading). */
  connectivity?: () => Connectivity;
}

/** The terminal core served over the loopback HTTP bridge (browser mode, scripts, tests). */
export async function startHeadless(opts: HeadlessOptions): Promise<{ url: string; token: string; terminal: Terminal; close(): Promise<void> }> {
  const terminal = await createTerminal({ dataDir: opts.dataDir, seedDemo: opts.seedDemo ?? false, ...(opts.pinKdfCost ? { pinKdfCost: opts.pinKdfCost } : {}), ...(opts.connectivity ? { connectivity: opts.connectivity } : {}) });
  const token = opts.token ?? randomBytes(24).toString('base64url');
  try {
    const bridge = await startHttpBridge({ dispatch: terminal.dispatch, events: terminal.events, log: terminal.ctx.log, token, port: opts.port ?? 0, staticDir: opts.staticDir ?? null });
    return {
      url: bridge.url,
      token,
      terminal,
      close: async () => {
        await bridge.close();
        await terminal.close();
      },
    };
  } catch (e) {
    await terminal.close();
    throw e;
  }
}
