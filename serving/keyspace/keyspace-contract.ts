/**
 * The Keyspace contract as a reusable Jest suite: run it against every implementation (the
 * in-memory reference here, the quorum-replicated store later) so that the RESP layer can rely on
 * the same behaviour from both. The factory receives the clock the keyspace must expire by.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Entry, Keyspace } from './keyspace.js';

export interface ContractClock {
  nowMs: () => number;
}

export interface KeyspaceUnderTest {
  keyspace: Keyspace;
  close?: () => Promise<void>;
}

const key = (text: string) => Buffer.from(text);
const entry = (value: string, expiresAtMs?: number): Entry => (expiresAtMs === undefined ? { value: Buffer.from(value) } : { value: Buffer.from(value), expiresAtMs });
const text = (found: Entry | undefined) => found?.value.toString();

async function scanAll(keyspace: Keyspace, count: number, between?: (round: number) => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let cursor = '0';
  let round = 0;
  do {
    const page = await keyspace.scan(cursor, count);
    seen.push(...page.keys.map((k) => k.toString('latin1')));
    cursor = page.cursor;
    await between?.(round++);
  } while (cursor !== '0');
  return seen;
}

export function describeKeyspaceContract(name: string, create: (clock: ContractClock) => Promise<KeyspaceUnderTest>): void {
  describe(`Keyspace contract: ${name}`, () => {
    let now = 1_000_000;
    let underTest: KeyspaceUnderTest | undefined;
    const open = async () => {
      now = 1_000_000;
      underTest = await create({ nowMs: () => now });
      return underTest.keyspace;
    };
    afterEach(async () => {
      await underTest?.close?.();
      underTest = undefined;
    });

    it('reads back what was set, and nothing after a delete', async () => {
      const keyspace = await open();
      expect(await keyspace.get(key('a'))).toBeUndefined();
      await keyspace.set(key('a'), entry('1'));
      expect(text(await keyspace.get(key('a')))).toBe('1');
      expect((await keyspace.getAll(key('a'))).map((e) => e.value.toString())).toEqual(['1']);
      await keyspace.delete(key('a'));
      expect(await keyspace.get(key('a'))).toBeUndefined();
      expect(await keyspace.getAll(key('a'))).toEqual([]);
    });

    it('keeps binary keys and values byte for byte, and is not changed by later edits of the caller’s buffers', async () => {
      const keyspace = await open();
      const binaryKey = Buffer.from([0, 255, 13, 10, 128]);
      const value = Buffer.from([1, 0, 2, 255]);
      await keyspace.set(binaryKey, { value });
      value[0] = 9;
      expect((await keyspace.get(Buffer.from(binaryKey)))?.value).toEqual(Buffer.from([1, 0, 2, 255]));
    });

    it('treats an entry as absent from its expiry time on', async () => {
      const keyspace = await open();
      await keyspace.set(key('t'), entry('v', now + 100));
      expect((await keyspace.get(key('t')))?.expiresAtMs).toBe(now + 100);
      now += 99;
      expect(text(await keyspace.get(key('t')))).toBe('v');
      now += 1;
      expect(await keyspace.get(key('t'))).toBeUndefined();
      expect(await keyspace.size()).toBe(0);
      expect(await scanAll(keyspace, 10)).toEqual([]);
    });

    it('treats a set of an already expired entry as a delete', async () => {
      const keyspace = await open();
      await keyspace.set(key('a'), entry('1'));
      await keyspace.set(key('a'), entry('2', now));
      expect(await keyspace.get(key('a'))).toBeUndefined();
    });

    it('compareAndSet writes only when value and expiry both match', async () => {
      const keyspace = await open();
      expect(await keyspace.compareAndSet(key('c'), undefined, entry('1'))).toEqual({ written: true });
      expect(await keyspace.compareAndSet(key('c'), undefined, entry('2'))).toMatchObject({ written: false, current: entry('1') });
      expect(await keyspace.compareAndSet(key('c'), entry('1', now + 5), entry('2'))).toMatchObject({ written: false });
      expect(await keyspace.compareAndSet(key('c'), entry('1'), entry('2', now + 50))).toEqual({ written: true });
      expect(await keyspace.get(key('c'))).toEqual(entry('2', now + 50));
      expect(await keyspace.compareAndSet(key('c'), entry('2', now + 50), undefined)).toEqual({ written: true });
      expect(await keyspace.get(key('c'))).toBeUndefined();
    });

    it('compareAndSet sees an expired entry as absent', async () => {
      const keyspace = await open();
      await keyspace.set(key('e'), entry('old', now + 10));
      now += 10;
      expect(await keyspace.compareAndSet(key('e'), entry('old', now), entry('x'))).toMatchObject({ written: false, current: undefined });
      expect(await keyspace.compareAndSet(key('e'), undefined, entry('new'))).toEqual({ written: true });
      expect(text(await keyspace.get(key('e')))).toBe('new');
    });

    it('compareAndSet of an entry onto itself confirms without changing anything', async () => {
      const keyspace = await open();
      await keyspace.set(key('s'), entry('same', now + 1_000));
      expect(await keyspace.compareAndSet(key('s'), entry('same', now + 1_000), entry('same', now + 1_000))).toEqual({ written: true });
      expect(await keyspace.compareAndSet(key('absent'), undefined, undefined)).toEqual({ written: true });
      expect(await keyspace.get(key('s'))).toEqual(entry('same', now + 1_000));
      expect(await keyspace.get(key('absent'))).toBeUndefined();
    });

    it('counts live keys', async () => {
      const keyspace = await open();
      await keyspace.set(key('a'), entry('1'));
      await keyspace.set(key('b'), entry('2', now + 10));
      await keyspace.set(key('a'), entry('3'));
      expect(await keyspace.size()).toBe(2);
      now += 10;
      expect(await keyspace.size()).toBe(1);
    });

    it('scans every key exactly once, starting and ending at cursor 0 with decimal cursors', async () => {
      const keyspace = await open();
      const names = Array.from({ length: 57 }, (_, i) => `key:${i}`);
      for (const name of names) await keyspace.set(key(name), entry(name));
      let cursor = '0';
      const seen: string[] = [];
      do {
        const page = await keyspace.scan(cursor, 5);
        expect(page.cursor).toMatch(/^(0|[1-9][0-9]*)$/);
        seen.push(...page.keys.map((k) => k.toString()));
        cursor = page.cursor;
      } while (cursor !== '0');
      expect(seen.sort()).toEqual([...names].sort());
    });

    it('returns every key present for a whole scan, whatever is inserted or deleted meanwhile', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 })), { maxLength: 30 }), async (count, churn) => {
          const keyspace = await open();
          const stable = Array.from({ length: 20 }, (_, i) => `stable:${i}`);
          for (const name of stable) await keyspace.set(key(name), entry('s'));
          const seen = await scanAll(keyspace, count, async (round) => {
            for (const [insert, n] of churn.slice(round * 3, round * 3 + 3)) {
              if (insert) await keyspace.set(key(`churn:${n}`), entry('c'));
              else await keyspace.delete(key(`churn:${n}`));
            }
          });
          for (const name of stable) expect(seen.filter((s) => s === name)).toHaveLength(1);
          await underTest?.close?.();
          underTest = undefined;
        }),
        { numRuns: 50 },
      );
    });
  });
}
