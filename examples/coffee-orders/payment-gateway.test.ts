/** The payment gateway: one charge per idempotency key, however often and however concurrently asked. */
import { describe, expect, it } from '@jest/globals';
import { MemoryKeyspace } from '../../serving/keyspace/memory-keyspace.js';
import { IdempotencyKeyReusedError } from './errors.js';
import { ACCEPTED_CARD, DECLINED_CARDS, PaymentGateway, revenueByDrink } from './payment-gateway.js';

const [DECLINED_CARD] = DECLINED_CARDS.keys();
const charge = { orderId: 'o1', drink: 'latte', amountCents: 290, card: ACCEPTED_CARD };

describe('payment gateway', () => {
  it('charges an order once however often the same request is retried, even concurrently', async () => {
    const gateway = new PaymentGateway({ keyspace: new MemoryKeyspace() });
    const results = await Promise.all(Array.from({ length: 8 }, () => gateway.charge(charge)));
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    expect(results.every((result) => result.status === 'charged' && result.amountCents === 290)).toBe(true);
    expect(await gateway.payment('o1')).toMatchObject({ status: 'charged', chargedCents: 290, refundedCents: 0, chargeRequests: 8 });
  });

  it('refuses a second charge under the same key for another amount or card', async () => {
    const gateway = new PaymentGateway({ keyspace: new MemoryKeyspace() });
    await gateway.charge(charge);
    await expect(gateway.charge({ ...charge, amountCents: 300 })).rejects.toThrow(IdempotencyKeyReusedError);
    await expect(gateway.charge({ ...charge, card: '5555555555554444' })).rejects.toThrow("payment for order 'o1' was already requested with card 4242424242424242 for 290 cents");
  });

  it('declines the test cards, and answers a retry the same way without charging', async () => {
    const gateway = new PaymentGateway({ keyspace: new MemoryKeyspace() });
    expect(await gateway.charge({ ...charge, card: DECLINED_CARD! })).toEqual({ status: 'declined', reason: 'card declined', replayed: false });
    expect(await gateway.charge({ ...charge, card: DECLINED_CARD! })).toEqual({ status: 'declined', reason: 'card declined', replayed: true });
    expect(await gateway.payment('o1')).toMatchObject({ status: 'declined', chargedCents: 0 });
  });

  it('refunds a charge once; an order never charged is refunded nothing', async () => {
    const gateway = new PaymentGateway({ keyspace: new MemoryKeyspace() });
    await gateway.charge(charge);
    expect(await gateway.refund('o1')).toEqual({ refundedCents: 290, replayed: false });
    expect(await gateway.refund('o1')).toEqual({ refundedCents: 290, replayed: true });
    expect(await gateway.refund('never-charged')).toEqual({ refundedCents: 0, replayed: false });
    expect(await gateway.payment('never-charged')).toBeUndefined();
    expect(await gateway.payment('o1')).toMatchObject({ chargedCents: 290, refundedCents: 290, refundRequests: 2 });
  });

  it('lists its ledger, and nets revenue per drink from it', async () => {
    const keyspace = new MemoryKeyspace();
    await keyspace.set(Buffer.from('not-a-payment'), { value: Buffer.from('x') });
    const gateway = new PaymentGateway({ keyspace });
    await gateway.charge(charge);
    await gateway.charge({ ...charge, orderId: 'o2', amountCents: 200 });
    await gateway.charge({ ...charge, orderId: 'o3', drink: 'tea', amountCents: 170 });
    await gateway.charge({ ...charge, orderId: 'o4', card: DECLINED_CARD! });
    await gateway.refund('o2');
    const ledger = await gateway.ledger();
    expect(ledger.map((record) => record.orderId)).toEqual(['o1', 'o2', 'o3', 'o4']);
    expect(revenueByDrink(ledger)).toEqual(new Map([['latte', 290], ['tea', 170]]));
  });
});
