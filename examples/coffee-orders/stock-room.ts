/**
 * The shop's stock, in portions per drink (the beans, milk or leaves one drink of any size
 * takes): one record per drink in a serving Keyspace listing the orders holding a portion.
 * Reserving is idempotent per order id — an order already holding a portion keeps it, so a
 * replayed enqueue step takes nothing more — and a portion once out stays out (nothing restocks
 * during a run), so an order refused once is refused again on replay. The record therefore never
 * needs to remember refusals, and its holder list is bounded by the drink's initial portions.
 */
import { UnknownDrinkError } from './errors.js';
import { readRecord, updateRecord, type RecordStore } from './json-record.js';
import { MAX_PORTIONS_PER_DRINK } from './limits.js';
import { DRINKS, type Drink } from './order.js';
import { InvalidBoltOptionError } from '../../bolts/errors.js';

const KEY_PREFIX = 'coffee:stock:';

export interface StockRecord {
  readonly remaining: number;
  /** Orders holding a portion, in the order they reserved it. */
  readonly holders: readonly string[];
}

export type Reservation = 'reserved' | 'out-of-stock';

export interface StockRoomOptions extends RecordStore {
  /** Portions each drink starts with when its record does not exist yet; drinks not listed start with `defaultPortions`. */
  readonly portions?: Partial<Record<Drink, number>>;
  /** Default MAX_PORTIONS_PER_DRINK: plenty. */
  readonly defaultPortions?: number;
}

function isStockRecord(value: unknown): value is StockRecord {
  const record = value as Partial<StockRecord> | null;
  return typeof record === 'object' && record !== null && Number.isSafeInteger(record.remaining) && Array.isArray(record.holders);
}

function checkPortions(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_PORTIONS_PER_DRINK) throw new InvalidBoltOptionError('StockRoom', option, value, `an integer from 0 to ${MAX_PORTIONS_PER_DRINK}`);
  return value;
}

export class StockRoom {
  private readonly store: RecordStore;
  private readonly initial: ReadonlyMap<string, number>;

  constructor(options: StockRoomOptions) {
    this.store = options.consistency === undefined ? { keyspace: options.keyspace } : { keyspace: options.keyspace, consistency: options.consistency };
    const fallback = checkPortions('defaultPortions', options.defaultPortions ?? MAX_PORTIONS_PER_DRINK);
    const initial = new Map<string, number>(DRINKS.map((drink) => [drink, fallback]));
    for (const [drink, portions] of Object.entries(options.portions ?? {})) {
      if (!initial.has(drink)) throw new UnknownDrinkError(drink, DRINKS);
      initial.set(drink, checkPortions(`portions.${drink}`, portions));
    }
    this.initial = initial;
  }

  /** A portion of `drink` for `orderId`: the same answer however often it is asked. */
  async reserve(drink: string, orderId: string): Promise<Reservation> {
    const initial = this.initialPortions(drink);
    return updateRecord(this.store, KEY_PREFIX + drink, `stock record of '${drink}'`, isStockRecord, (current) => {
      const stock = current ?? { remaining: initial, holders: [] };
      if (stock.holders.includes(orderId)) return { keep: true, result: 'reserved' };
      if (stock.remaining === 0) return { keep: true, result: 'out-of-stock' };
      return { write: { remaining: stock.remaining - 1, holders: [...stock.holders, orderId] }, result: 'reserved' };
    });
  }

  /** The drink's stock now (its initial portions before the first reservation). */
  async stock(drink: string): Promise<StockRecord> {
    const initial = this.initialPortions(drink);
    return (await readRecord(this.store, KEY_PREFIX + drink, `stock record of '${drink}'`, isStockRecord)) ?? { remaining: initial, holders: [] };
  }

  private initialPortions(drink: string): number {
    const initial = this.initial.get(drink);
    if (initial === undefined) throw new UnknownDrinkError(drink, DRINKS);
    return initial;
  }
}
