import { afterEach, describe, expect, it } from 'vitest';
import { createEventStream, readFrames } from '../../../src-renderer/api/event-stream';
import { startHeadless } from '../../../src-main/terminal/headless';
import { tempDir } from '../../helpers/terminal';

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

describe('bridge event stream', () => {
  it('streams core events as server-sent events to an authorised reader, and refuses a wrong token', async () => {
    const h = await startHeadless({ dataDir: tempDir(), token: 'tok-events', pinKdfCost: 1024 });
    close = h.close;
    const refused = await fetch(`${h.url}/api/events`, { headers: { Authorization: 'Bearer nope' } });
    expect(refused.status).toBe(401);

    const abort = new AbortController();
    const res = await fetch(`${h.url}/api/events`, { headers: { Authorization: 'Bearer tok-events' }, signal: abort.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const frames: { event: string; data: unknown }[] = [];
    const done = new Promise<void>((resolve) => {
      void readFrames(res.body!, (event, data) => {
        frames.push({ event, data: JSON.parse(data) });
        if (frames.length === 2) resolve();
      }).catch(() => undefined);
    });
    // The subscription exists once the response headers have arrived.
    h.terminal.events.emit('scan.received', { raw: '4000123456789017', source: 'serial', at: 1 });
    h.terminal.events.emit('devices.status', { device: 'printer', id: 'p1', state: 'paper_out', message: 'Paper out: load a new roll.' });
    await done;
    abort.abort();
    expect(frames).toEqual([
      { event: 'scan.received', data: { raw: '4000123456789017', source: 'serial', at: 1 } },
      { event: 'devices.status', data: { device: 'printer', id: 'p1', state: 'paper_out', message: 'Paper out: load a new roll.' } },
    ]);
  });

  it('the renderer stream delivers to subscribers by event name', async () => {
    const h = await startHeadless({ dataDir: tempDir(), token: 'tok-2', pinKdfCost: 1024 });
    close = h.close;
    let connected!: () => void;
    const isConnected = new Promise<void>((r) => (connected = r));
    const stream = createEventStream({
      url: `${h.url}/api/events`,
      token: 'tok-2',
      fetch: async (url, init) => {
        const res = await fetch(url, init);
        connected();
        return res;
      },
    });
    const got = new Promise<unknown>((resolve) => {
      const off = stream.on('scan.received', (p) => {
        off();
        resolve(p);
      });
    });
    await isConnected;
    h.terminal.events.emit('devices.status', { device: 'scanner', id: 's', state: 'ready', message: 'ok' });
    h.terminal.events.emit('scan.received', { raw: 'X', source: 'keyboard', at: 2 });
    expect(await got).toEqual({ raw: 'X', source: 'keyboard', at: 2 });
  });
});
