/**
 * The shop's bad luck, seeded and reproducible. Each draw is a hash of (seed, kind, order id,
 * attempt), not a stream of random numbers: a replayed order meets exactly the same spills, in
 * any task and after any restart, which is what keeps the saga's steps idempotent per order id.
 *
 * - spills: the drink of attempt n of an order is spilled when its draw is below the rate; after
 *   MAX_SPILLS_PER_ORDER spills the barista makes it with care (the remake loop ends).
 * - barista throws: an order whose draw is below the rate makes the make step throw the first
 *   time a task sees it (each task remembers that in memory, so a restarted topology throws once
 *   more) — the worker failure that the spout answers with a replay.
 */
import { createHash } from 'node:crypto';
import { InvalidBoltOptionError } from '../../bolts/errors.js';
import { MAX_SPILLS_PER_ORDER } from './limits.js';

export interface FaultRate {
  /** Fraction of draws that fail, 0..1. */
  readonly rate: number;
  readonly seed: number;
}

export interface ShopFaults {
  readonly spills?: FaultRate;
  readonly baristaThrows?: FaultRate;
}

/** Uniform in [0, 1), from 48 bits of SHA-256 of the draw's identity. */
export function draw(seed: number, kind: string, orderId: string, attempt = 0): number {
  const digest = createHash('sha256').update(`${seed}/${kind}/${orderId}/${attempt}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

export function checkFaults(faults: ShopFaults): ShopFaults {
  for (const [name, fault] of Object.entries(faults) as [string, FaultRate | undefined][]) {
    if (fault === undefined) continue;
    if (!(fault.rate >= 0 && fault.rate <= 1)) throw new InvalidBoltOptionError('MakeBolt', `${name}.rate`, fault.rate, 'a fraction in 0..1');
    if (!Number.isSafeInteger(fault.seed)) throw new InvalidBoltOptionError('MakeBolt', `${name}.seed`, fault.seed, 'an integer');
  }
  return faults;
}

export function spilled(faults: ShopFaults, orderId: string, attempt: number): boolean {
  const spills = faults.spills;
  if (spills === undefined || attempt > MAX_SPILLS_PER_ORDER) return false;
  return draw(spills.seed, 'spill', orderId, attempt) < spills.rate;
}

/** How many makings of an order are spilled before one succeeds (0..MAX_SPILLS_PER_ORDER). */
export function spillsOf(faults: ShopFaults, orderId: string): number {
  let attempt = 1;
  while (spilled(faults, orderId, attempt)) attempt += 1;
  return attempt - 1;
}

export function baristaThrowsOn(faults: ShopFaults, orderId: string): boolean {
  const throws = faults.baristaThrows;
  return throws !== undefined && draw(throws.seed, 'barista-throws', orderId) < throws.rate;
}
