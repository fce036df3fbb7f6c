/** The stock room: a portion per order id, never more than there are, the same answer on every retry. */
import { describe, expect, it } from '@jest/globals';
import { MemoryKeyspace } from '../../serving/keyspace/memory-keyspace.js';
import { InvalidBoltOptionError } from '../../bolts/errors.js';
import { UnknownDrinkError } from './errors.js';
import { StockRoom } from './stock-room.js';

describe('stock room', () => {
  it('gives out no more portions than it has, each order at most one, under concurrent and repeated requests', async () => {
    const room = new StockRoom({ keyspace: new MemoryKeyspace(), portions: { mocha: 3 } });
    const orders = Array.from({ length: 6 }, (_, index) => `o${index}`);
    const first = await Promise.all(orders.flatMap((orderId) => [room.reserve('mocha', orderId), room.reserve('mocha', orderId)]));
    const reserved = orders.filter((_, index) => first[2 * index] === 'reserved');
    expect(reserved).toHaveLength(3);
    // Both requests of one order got the same answer, and a later retry does too.
    orders.forEach((_, index) => expect(first[2 * index + 1]).toBe(first[2 * index]));
    for (const [index, orderId] of orders.entries()) expect(await room.reserve('mocha', orderId)).toBe(first[2 * index]);
    expect(await room.stock('mocha')).toEqual({ remaining: 0, holders: expect.arrayContaining(reserved) as unknown });
    expect((await room.stock('mocha')).holders).toHaveLength(3);
  });

  it('starts every drink not listed with the default portions, and refuses drinks not on the menu', async () => {
    const room = new StockRoom({ keyspace: new MemoryKeyspace(), defaultPortions: 1 });
    expect(await room.reserve('tea', 'a')).toBe('reserved');
    expect(await room.reserve('tea', 'b')).toBe('out-of-stock');
    await expect(room.reserve('bubble tea', 'c')).rejects.toThrow(UnknownDrinkError);
    expect(() => new StockRoom({ keyspace: new MemoryKeyspace(), portions: { mocha: -1 } })).toThrow(InvalidBoltOptionError);
  });
});
