/**
 * The card processor the shop talks to, in process: charges and refunds keyed by an idempotency
 * key — the order id — as real gateways take one, so a step that is replayed asks again and gets
 * the first answer instead of charging the customer twice. Every request's outcome is one record
 * per order in a serving Keyspace (durable when the keyspace is: a serving node, or a
 * MemoryKeyspace outliving the topology in tests), changed by compareAndSet only.
 *
 * Declines are deterministic: the test cards in DECLINED_CARDS are always refused, everything
 * else is accepted. A decline is recorded too, so a retry is refused the same way even by a
 * gateway whose rules had changed since.
 */
import { IdempotencyKeyReusedError } from './errors.js';
import { readRecord, updateRecord, type RecordStore } from './json-record.js';
import { LEDGER_SCAN_PAGE_KEYS, MAX_LEDGER_SCAN_PAGES } from './limits.js';

/** Cards the gateway declines, with the reason it gives (after the processors' test cards). */
export const DECLINED_CARDS: ReadonlyMap<string, string> = new Map([
  ['4000000000000002', 'card declined'],
  ['4000000000009995', 'insufficient funds'],
]);
/** A card that is always accepted. */
export const ACCEPTED_CARD = '4242424242424242';

const KEY_PREFIX = 'coffee:payment:';

/** One order's payment as the gateway keeps it. */
export interface PaymentRecord {
  readonly orderId: string;
  readonly drink: string;
  readonly card: string;
  readonly status: 'charged' | 'declined';
  /** What the first request asked for: a later request under the same key must ask the same. */
  readonly requestedCents: number;
  /** What was charged (0 when declined). */
  readonly chargedCents: number;
  readonly refundedCents: number;
  /** Charge requests made under this key: 1 + the retries the key absorbed. */
  readonly chargeRequests: number;
  readonly refundRequests: number;
  readonly declineReason?: string;
}

export interface ChargeRequest {
  readonly orderId: string;
  readonly drink: string;
  readonly amountCents: number;
  readonly card: string;
}

export type ChargeResult = { readonly status: 'charged'; readonly amountCents: number; readonly replayed: boolean } | { readonly status: 'declined'; readonly reason: string; readonly replayed: boolean };

export interface RefundResult {
  readonly refundedCents: number;
  /** True when an earlier request already refunded it. */
  readonly replayed: boolean;
}

function isPaymentRecord(value: unknown): value is PaymentRecord {
  const record = value as Partial<PaymentRecord> | null;
  return typeof record === 'object' && record !== null && typeof record.orderId === 'string' && (record.status === 'charged' || record.status === 'declined') && Number.isSafeInteger(record.chargedCents) && Number.isSafeInteger(record.refundedCents) && Number.isSafeInteger(record.chargeRequests);
}

function resultOf(record: PaymentRecord, replayed: boolean): ChargeResult {
  return record.status === 'charged' ? { status: 'charged', amountCents: record.chargedCents, replayed } : { status: 'declined', reason: record.declineReason ?? 'declined', replayed };
}

export class PaymentGateway {
  constructor(private readonly store: RecordStore) {}

  /** Charges `amountCents` once per order id; a repeat returns the first outcome. */
  charge(request: ChargeRequest): Promise<ChargeResult> {
    return updateRecord(this.store, KEY_PREFIX + request.orderId, `payment record of order '${request.orderId}'`, isPaymentRecord, (current) => {
      if (current !== undefined) {
        if (current.card !== request.card || current.requestedCents !== request.amountCents) throw new IdempotencyKeyReusedError(request.orderId, `card ${current.card} for ${current.requestedCents} cents`);
        return { write: { ...current, chargeRequests: current.chargeRequests + 1 }, result: resultOf(current, true) };
      }
      const declineReason = DECLINED_CARDS.get(request.card);
      const base = { orderId: request.orderId, drink: request.drink, card: request.card, requestedCents: request.amountCents, refundedCents: 0, chargeRequests: 1, refundRequests: 0 };
      const record: PaymentRecord = declineReason === undefined ? { ...base, status: 'charged', chargedCents: request.amountCents } : { ...base, status: 'declined', chargedCents: 0, declineReason };
      return { write: record, result: resultOf(record, false) };
    });
  }

  /** Refunds the whole charge of an order, once; an order never charged is refunded nothing. */
  refund(orderId: string): Promise<RefundResult> {
    return updateRecord(this.store, KEY_PREFIX + orderId, `payment record of order '${orderId}'`, isPaymentRecord, (current) => {
      if (current === undefined || current.chargedCents === 0) return { keep: true, result: { refundedCents: 0, replayed: false } };
      const replayed = current.refundedCents === current.chargedCents;
      return { write: { ...current, refundedCents: current.chargedCents, refundRequests: current.refundRequests + 1 }, result: { refundedCents: current.chargedCents, replayed } };
    });
  }

  payment(orderId: string): Promise<PaymentRecord | undefined> {
    return readRecord(this.store, KEY_PREFIX + orderId, `payment record of order '${orderId}'`, isPaymentRecord);
  }

  /** Every payment record: the ledger the shop reconciles its views against. */
  async ledger(): Promise<PaymentRecord[]> {
    const records: PaymentRecord[] = [];
    let cursor = '0';
    for (let page = 0; page < MAX_LEDGER_SCAN_PAGES; page += 1) {
      const scanned = await this.store.keyspace.scan(cursor, LEDGER_SCAN_PAGE_KEYS);
      for (const key of scanned.keys) {
        const name = key.toString('utf8');
        if (!name.startsWith(KEY_PREFIX)) continue;
        const record = await this.payment(name.slice(KEY_PREFIX.length));
        if (record !== undefined) records.push(record);
      }
      cursor = scanned.cursor;
      if (cursor === '0') break;
    }
    return records.sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
  }
}

/** Net revenue per drink (charges − refunds), in cents, from a ledger. */
export function revenueByDrink(ledger: readonly PaymentRecord[]): Map<string, number> {
  const revenue = new Map<string, number>();
  for (const record of ledger) {
    if (record.status !== 'charged') continue;
    revenue.set(record.drink, (revenue.get(record.drink) ?? 0) + record.chargedCents - record.refundedCents);
  }
  return revenue;
}
