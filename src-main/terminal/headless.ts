import { startHttpBridge, type HttpBridge, type HttpBridgeOptions } from '../bridge/http-bridge';
import type { Connectivity } from '../core/context';
import { loadBridgeFile, rememberBridgePort } from './bridge-file';
import { createTerminal, type Terminal } from './create-terminal';

export interface HeadlessOptions {
  dataDir: string;
  /** Default: the port of the last start on this data folder when it is free, else a free one. */
  port?: number;
  /**
   * Default: the data folder's token (bridge.json, made on the first start), so the till's
   * address stays the same across restarts. A token given here is used as is and not stored.
   */
  token?: string;
  staticDir?: string | null;
  seedDemo?: false | { members: number; paymentsAtTill?: boolean };
  pinKdfCost?: number;
  /** Forces what the terminal believes about the network (UI tests of offline trading). */
  connectivity?: () => Connectivity;
}

export interface Headless {
  url: string;
  token: string;
  terminal: Terminal;
  /** What the start put right or could not keep (a loose token file, a taken port), in words for the person starting it. */
  notes: string[];
  close(): Promise<void>;
}

/** The terminal core served over the loopback HTTP bridge (browser mode, scripts, tests). */
export async function startHeadless(opts: HeadlessOptions): Promise<Headless> {
  // Read before the database is opened: a bridge file that must be refused stops the start with nothing opened.
  const saved = opts.token === undefined ? loadBridgeFile(opts.dataDir) : null;
  const token = opts.token ?? saved!.token;
  const notes = saved?.notes ?? [];
  const terminal = await createTerminal({ dataDir: opts.dataDir, seedDemo: opts.seedDemo ?? false, ...(opts.pinKdfCost ? { pinKdfCost: opts.pinKdfCost } : {}), ...(opts.connectivity ? { connectivity: opts.connectivity } : {}) });
  try {
    const bridgeOptions: HttpBridgeOptions = { dispatch: terminal.dispatch, events: terminal.events, log: terminal.ctx.log, token, staticDir: opts.staticDir ?? null };
    let bridge: HttpBridge;
    const lastPort = opts.port === undefined ? (saved?.port ?? null) : null;
    if (lastPort !== null) {
      try {
        bridge = await startHttpBridge({ ...bridgeOptions, port: lastPort });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
        bridge = await startHttpBridge({ ...bridgeOptions, port: 0 });
        notes.push(`port ${lastPort} of the last start is taken by another program: the till's address is now ${bridge.url} (bookmarks of the old one need updating)`);
      }
    } else {
      bridge = await startHttpBridge({ ...bridgeOptions, port: opts.port ?? 0 });
    }
    if (saved !== null && opts.port === undefined) {
      try {
        rememberBridgePort(opts.dataDir, saved, bridge.port);
      } catch (e) {
        // Not fatal: the till runs; the next start picks a port again.
        notes.push(`could not remember port ${bridge.port} in the data folder (${(e as Error).message}): the next start may use another address`);
      }
    }
    return {
      url: bridge.url,
      token,
      terminal,
      notes,
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
