import { afterEach, describe, expect, it } from 'vitest';
import { openTerminalDatabase, type OpenedDatabase } from '../../../src-main/db/connection';
import { inRolledBackTransaction, inTransaction } from '../../../src-main/db/transaction';
import { DomainError } from '../../../src-shared/errors/domain-error';

let opened: OpenedDatabase | null = null;
afterEach(async () => {
  await opened?.close();
  opened = null;
});

const metaValue = async (o: OpenedDatabase, key: string) => (await o.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null;

describe('transactions', () => {
  it('inTransaction commits what fn wrote, and keeps nothing when fn throws', async () => {
    opened = await openTerminalDatabase(':memory:');
    await inTransaction(opened.db, (trx) => trx.insertInto('meta').values({ key: 'kept', value: '1' }).execute());
    await expect(
      inTransaction(opened.db, async (trx) => {
        await trx.insertInto('meta').values({ key: 'dropped', value: '1' }).execute();
        throw new DomainError('INSUFFICIENT_POINTS', 'not enough');
      }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });
    expect(await metaValue(opened, 'kept')).toBe('1');
    expect(await metaValue(opened, 'dropped')).toBeNull();
  });

  it('inRolledBackTransaction returns what fn computed from its own writes and never keeps them', async () => {
    opened = await openTerminalDatabase(':memory:');
    const seen = await inRolledBackTransaction(opened.db, async (trx) => {
      await trx.insertInto('meta').values({ key: 'planned', value: '42' }).execute();
      return (await trx.selectFrom('meta').select('value').where('key', '=', 'planned').executeTakeFirstOrThrow()).value;
    });
    expect(seen).toBe('42');
    expect(await metaValue(opened, 'planned')).toBeNull();
    // A failure is passed on as it is, and the connection is free again afterwards.
    await expect(
      inRolledBackTransaction(opened.db, async (trx) => {
        await trx.insertInto('meta').values({ key: 'planned', value: '1' }).execute();
        throw new DomainError('MEMBER_NOT_FOUND', 'no such member');
      }),
    ).rejects.toBeInstanceOf(DomainError);
    expect(await metaValue(opened, 'planned')).toBeNull();
    await inTransaction(opened.db, (trx) => trx.insertInto('meta').values({ key: 'after', value: '1' }).execute());
    expect(await metaValue(opened, 'after')).toBe('1');
  });
});
