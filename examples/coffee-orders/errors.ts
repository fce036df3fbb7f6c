/** Errors of the coffee shop: each names the order and what went wrong, so a replay log reads plainly. */

export type CoffeeErrorCode = 'IDEMPOTENCY_KEY_REUSED' | 'RECORD_CONTENTION' | 'CORRUPT_RECORD' | 'BARISTA_DROPPED_TOOLS' | 'UNKNOWN_DRINK';

export class CoffeeShopError extends Error {
  constructor(
    readonly code: CoffeeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A charge asked again with the same idempotency key (order id) but a different amount or card. */
export class IdempotencyKeyReusedError extends CoffeeShopError {
  constructor(readonly orderId: string, detail: string) {
    super('IDEMPOTENCY_KEY_REUSED', `payment for order '${orderId}' was already requested with ${detail}; an order id may be charged for one amount only`);
  }
}

/** Too many writers raced on one record; the tuple fails and the spout replays the order. */
export class RecordContentionError extends CoffeeShopError {
  constructor(readonly what: string, readonly attempts: number) {
    super('RECORD_CONTENTION', `${what} changed under ${attempts} compare-and-set attempts in a row; the order will be replayed`);
  }
}

/** A stored payment or stock record is not what this code writes. */
export class CorruptRecordError extends CoffeeShopError {
  constructor(readonly what: string, readonly content: string) {
    super('CORRUPT_RECORD', `${what} holds ${JSON.stringify(content.slice(0, 100))}, which this shop never writes; delete it or use another keyspace`);
  }
}

/** The injected worker failure: the barista's task dies mid-drink, so the order's tuple fails. */
export class BaristaDroppedToolsError extends CoffeeShopError {
  constructor(readonly orderId: string) {
    super('BARISTA_DROPPED_TOOLS', `barista failed while making order '${orderId}' (injected); the order will be replayed`);
  }
}

/** A drink the menu does not have (a stock room configured for it, say). */
export class UnknownDrinkError extends CoffeeShopError {
  constructor(readonly drink: string, known: readonly string[]) {
    super('UNKNOWN_DRINK', `'${drink}' is not on the menu; it has ${known.join(', ')}`);
  }
}
