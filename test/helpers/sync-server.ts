import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { openServerDatabase, type ServerDb } from '../../src-server/db/database';
import { buildApp } from '../../src-server/http/app';
import { createEnrolmentCode, createStore } from '../../src-server/services/admin';
import { tempDir } from './terminal';

export const PG_URL = process.env.TILLSMITH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export type Dialect = 'sqlite' | 'postgres';

/**
 * A real central server on loopback for terminal-side tests: SQLite in a temp folder or a fresh
 * PostgreSQL schema (fails loudly when PostgreSQL is unreachable). It can be restarted on the
 * same port and database, as after a crash.
 */
export class TestSyncServer {
  app: FastifyInstance | null = null;
  sdb!: ServerDb;
  port = 0;
  private constructor(
    readonly dialect: Dialect,
    private readonly url: string,
    private readonly dropSchema: (() => Promise<void>) | null,
    readonly now: () => number,
  ) {}

  static async start(dialect: Dialect, now: () => number = Date.now): Promise<TestSyncServer> {
    let url: string;
    let drop: (() => Promise<void>) | null = null;
    if (dialect === 'sqlite') {
      url = `sqlite:${path.join(tempDir('tillsmith-server-'), 'server.sqlite')}`;
    } else {
      const schema = `sim_${randomBytes(6).toString('hex')}`;
      const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
      try {
        await client.connect();
      } catch (e) {
        throw new Error(`PostgreSQL at ${PG_URL} is unreachable (${(e as Error).message}): these tests need it (never skipped). Start it or set TILLSMITH_TEST_PG_URL.`);
      }
      await client.end();
      url = `${PG_URL}?schema=${schema}`;
      drop = async () => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => c.end());
      };
    }
    const s = new TestSyncServer(dialect, url, drop, now);
    s.sdb = await openServerDatabase(url);
    await s.listen();
    return s;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async listen(): Promise<void> {
    this.app = await buildApp({ sdb: this.sdb, now: this.now, rateLimits: false, adminToken: null });
    await this.app.listen({ host: '127.0.0.1', port: this.port });
    this.port = (this.app.server.address() as AddressInfo).port;
  }

  /** Stops the HTTP server and the database connection, then starts both again on the same port. */
  async restart(): Promise<void> {
    await this.app?.close();
    await this.sdb.close();
    this.sdb = await openServerDatabase(this.url);
    await this.listen();
  }

  async enrolmentCode(storeName = 'Store'): Promise<string> {
    const store = await createStore(this.sdb, this.now, { name: storeName, timeZone: 'Asia/Shanghai' });
    return (await createEnrolmentCode(this.sdb, this.now, { storeId: store.id })).code;
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.sdb.close();
    await this.dropSchema?.();
  }
}

/** Head office's enrolment code for an existing store (a second till of the same store). */
export async function enrolmentCodeFor(server: TestSyncServer, storeId: string): Promise<string> {
  return (await createEnrolmentCode(server.sdb, server.now, { storeId })).code;
}
