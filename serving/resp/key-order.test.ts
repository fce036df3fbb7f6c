import { describe, expect, it } from '@jest/globals';
import { KeyOrder } from './key-order.js';

const keys = (...names: string[]) => names.map((name) => Buffer.from(name));

/** A task that records its start and finishes when the test says so. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const done = new Promise<void>((resolve) => (open = resolve));
  return {
    task: () => {
      log.push(`start ${name}`);
      return done.then(() => void log.push(`end ${name}`));
    },
    open: () => open(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('key order of pipelined commands', () => {
  it('runs commands on different keys concurrently', async () => {
    const order = new KeyOrder();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    order.run(keys('a'), a.task);
    order.run(keys('b'), b.task);
    expect(log).toEqual(['start a', 'start b']);
    b.open();
    a.open();
    await settle();
    expect(log).toEqual(['start a', 'start b', 'end b', 'end a']);
  });

  it('starts a command only after earlier commands on any of its keys finished', async () => {
    const order = new KeyOrder();
    const log: string[] = [];
    const first = gate(log, 'set a');
    const second = gate(log, 'mget a b');
    order.run(keys('a'), first.task);
    order.run(keys('a', 'b'), second.task);
    expect(log).toEqual(['start set a']);
    first.open();
    await settle();
    expect(log).toEqual(['start set a', 'end set a', 'start mget a b']);
    second.open();
    await settle();
    expect(order.pending).toBe(0);
  });

  it('makes whole-keyspace commands wait for everything before and hold back everything after', async () => {
    const order = new KeyOrder();
    const log: string[] = [];
    const write = gate(log, 'set a');
    const scan = gate(log, 'scan');
    const later = gate(log, 'get z');
    order.run(keys('a'), write.task);
    order.run('all', scan.task);
    order.run(keys('z'), later.task);
    expect(log).toEqual(['start set a']);
    write.open();
    await settle();
    expect(log).toEqual(['start set a', 'end set a', 'start scan']);
    scan.open();
    later.open();
    await settle();
    expect(log).toEqual(['start set a', 'end set a', 'start scan', 'end scan', 'start get z', 'end get z']);
  });

  it('runs keyless commands at once, synchronously, whatever is pending', () => {
    const order = new KeyOrder();
    const log: string[] = [];
    order.run('all', gate(log, 'flushall').task);
    order.run('none', () => void log.push('ping'));
    expect(log).toEqual(['start flushall', 'ping']);
  });

  it('treats a failing task as finished', async () => {
    const order = new KeyOrder();
    const log: string[] = [];
    order.run(keys('a'), () => Promise.reject(new Error('boom')));
    order.run(keys('a'), () => {
      throw new Error('sync boom');
    });
    order.run(keys('a'), () => void log.push('after'));
    await settle();
    expect(log).toEqual(['after']);
    expect(order.pending).toBe(0);
  });
});
