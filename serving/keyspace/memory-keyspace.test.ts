import { describe, expect, it } from '@jest/globals';
import { describeKeyspaceContract } from './keyspace-contract.js';
import { MemoryKeyspace } from './memory-keyspace.js';
import { InvalidConsistencyError, InvalidCursorError, InvalidEntryError, KeyspaceFullError } from './errors.js';

describeKeyspaceContract('MemoryKeyspace', async ({ nowMs }) => ({ keyspace: new MemoryKeyspace({ nowMs }) }));

const key = (text: string) => Buffer.from(text);

describe('MemoryKeyspace', () => {
  it('resolves injected siblings to the last one and lists them all, until a write replaces them', async () => {
    const keyspace = new MemoryKeyspace();
    keyspace.injectSiblings(key('k'), [{ value: key('a') }, { value: key('b') }]);
    expect((await keyspace.get(key('k')))?.value.toString()).toBe('b');
    expect((await keyspace.getAll(key('k'))).map((e) => e.value.toString())).toEqual(['a', 'b']);
    await keyspace.set(key('k'), { value: key('c') });
    expect((await keyspace.getAll(key('k'))).map((e) => e.value.toString())).toEqual(['c']);
  });

  it('drops expired siblings and keeps the live ones', async () => {
    let now = 0;
    const keyspace = new MemoryKeyspace({ nowMs: () => now });
    keyspace.injectSiblings(key('k'), [{ value: key('lives') }, { value: key('dies'), expiresAtMs: 5 }]);
    expect((await keyspace.get(key('k')))?.value.toString()).toBe('dies');
    now = 5;
    expect((await keyspace.get(key('k')))?.value.toString()).toBe('lives');
    expect(await keyspace.getAll(key('k'))).toHaveLength(1);
  });

  it('refuses writes that would grow it past maxBytes, and still accepts ones that shrink it', async () => {
    const keyspace = new MemoryKeyspace({ maxBytes: 10 });
    await keyspace.set(key('k'), { value: Buffer.alloc(9) });
    await expect(keyspace.set(key('j'), { value: Buffer.alloc(1) })).rejects.toBeInstanceOf(KeyspaceFullError);
    await keyspace.set(key('k'), { value: Buffer.alloc(2) });
    expect(keyspace.bytesUsed).toBe(3);
    await keyspace.delete(key('k'));
    expect(keyspace.bytesUsed).toBe(0);
  });

  it('frees the bytes of expired entries when they are swept', async () => {
    let now = 0;
    const keyspace = new MemoryKeyspace({ nowMs: () => now });
    await keyspace.set(key('k'), { value: Buffer.alloc(100), expiresAtMs: 10 });
    now = 10;
    keyspace.purgeExpired();
    expect(keyspace.bytesUsed).toBe(0);
  });

  it('rejects cursors it cannot have returned, malformed entries and consistency', async () => {
    const keyspace = new MemoryKeyspace();
    for (const cursor of ['', '-1', '01', 'abc', '18446744073709551616']) await expect(keyspace.scan(cursor, 10)).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(keyspace.set(key('k'), { value: key('v'), expiresAtMs: Number.NaN })).rejects.toBeInstanceOf(InvalidEntryError);
    await expect(keyspace.get(key('k'), { r: 0 })).rejects.toBeInstanceOf(InvalidConsistencyError);
    await expect(keyspace.get(key('k'), { r: 1, w: 2, n: 3 })).resolves.toBeUndefined();
  });

  it('ends a scan started past the last key', async () => {
    const keyspace = new MemoryKeyspace();
    await keyspace.set(key('k'), { value: key('v') });
    expect(await keyspace.scan('18446744073709551615', 10)).toMatchObject({ cursor: '0' });
  });
});
