/**
 * Version vectors: for each actor (a replica that coordinates writes), how many of its events are
 * known. The causal context a client reads and sends back with its next write.
 *
 * Representation: entries sorted by actor (UTF-16 code unit order), one per actor, counters ≥ 1;
 * an absent actor means 0. Plain data, so JSON.stringify/JSON.parse round-trip it; anything that
 * came from outside goes through parseVersionVector, which checks every field against the limits.
 */
import { InvalidActorError, InvalidCausalDataError } from './errors.js';
import { MAX_ACTOR_COUNTER, MAX_ACTOR_ID_LENGTH, MAX_VERSION_VECTOR_ACTORS } from './limits.js';

export interface VersionVectorEntry {
  readonly actor: string;
  readonly counter: number;
}

export type VersionVector = readonly VersionVectorEntry[];

/** How two causal histories relate. */
export type CausalOrder = 'equal' | 'before' | 'after' | 'concurrent';

export const EMPTY_VERSION_VECTOR: VersionVector = Object.freeze([]);

/** Total order of actor ids used by every sorted structure in core/clock. */
export function compareActors(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Throws InvalidActorError unless `actor` is a non-empty string within MAX_ACTOR_ID_LENGTH. */
export function assertActor(actor: unknown): string {
  if (typeof actor !== 'string') throw new InvalidActorError(actor, 'not a string');
  if (actor.length === 0) throw new InvalidActorError(actor, 'empty');
  if (actor.length > MAX_ACTOR_ID_LENGTH) throw new InvalidActorError(actor.slice(0, 32), `longer than ${MAX_ACTOR_ID_LENGTH} characters`);
  return actor;
}

/** How many events of `actor` the vector knows (0 if absent). */
export function counterOf(vector: VersionVector, actor: string): number {
  let low = 0;
  let high = vector.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const entry = vector[middle];
    if (entry === undefined) break;
    const order = compareActors(entry.actor, actor);
    if (order === 0) return entry.counter;
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  return 0;
}

/**
 * Walks two sorted entry lists in step, calling `visit(actor, left, right)` once per actor present
 * in either (a missing side is undefined). The merge at the heart of compare and sync.
 */
export function zipByActor<L extends { readonly actor: string }, R extends { readonly actor: string }>(
  left: readonly L[],
  right: readonly R[],
  visit: (actor: string, left: L | undefined, right: R | undefined) => void,
): void {
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const l = left[i];
    const r = right[j];
    const order = l === undefined ? 1 : r === undefined ? -1 : compareActors(l.actor, r.actor);
    if (order < 0 && l !== undefined) {
      visit(l.actor, l, undefined);
      i++;
    } else if (order > 0 && r !== undefined) {
      visit(r.actor, undefined, r);
      j++;
    } else if (l !== undefined && r !== undefined) {
      visit(l.actor, l, r);
      i++;
      j++;
    }
  }
}

/** 'before' when `a` is strictly older than `b`, 'after' when strictly newer. */
export function compareVersionVectors(a: VersionVector, b: VersionVector): CausalOrder {
  let aAhead = false;
  let bAhead = false;
  zipByActor(a, b, (_actor, left, right) => {
    const l = left?.counter ?? 0;
    const r = right?.counter ?? 0;
    if (l > r) aAhead = true;
    else if (r > l) bAhead = true;
  });
  if (aAhead && bAhead) return 'concurrent';
  if (aAhead) return 'after';
  if (bAhead) return 'before';
  return 'equal';
}

/** True when `a` has seen everything `b` has (a ≥ b pointwise). */
export function vectorDescends(a: VersionVector, b: VersionVector): boolean {
  const order = compareVersionVectors(a, b);
  return order === 'equal' || order === 'after';
}

/** Pointwise maximum: the history of both. */
export function mergeVersionVectors(a: VersionVector, b: VersionVector): VersionVector {
  const merged: VersionVectorEntry[] = [];
  zipByActor(a, b, (actor, left, right) => merged.push({ actor, counter: Math.max(left?.counter ?? 0, right?.counter ?? 0) }));
  return merged;
}

/** Throws InvalidCausalDataError unless `vector` is well formed (sorted, unique, counters in range). */
export function assertVersionVector(vector: VersionVector): VersionVector {
  if (!Array.isArray(vector)) throw new InvalidCausalDataError('version vector', 'not an array');
  if (vector.length > MAX_VERSION_VECTOR_ACTORS) {
    throw new InvalidCausalDataError('version vector', `${vector.length} actors exceed the limit of ${MAX_VERSION_VECTOR_ACTORS}`);
  }
  let previous: string | undefined;
  for (const entry of vector) {
    if (typeof entry !== 'object' || entry === null) throw new InvalidCausalDataError('version vector', 'an entry is not an object');
    assertActor(entry.actor);
    assertCounter(entry.counter, 1, 'version vector');
    if (previous !== undefined && compareActors(previous, entry.actor) >= 0) {
      throw new InvalidCausalDataError('version vector', `actors not sorted and unique at ${JSON.stringify(entry.actor)}`);
    }
    previous = entry.actor;
  }
  return vector;
}

/** Checks an event counter: an integer in [minimum, MAX_ACTOR_COUNTER]. */
export function assertCounter(counter: unknown, minimum: number, what: 'version vector' | 'dotted version vector set'): number {
  if (typeof counter !== 'number' || !Number.isSafeInteger(counter) || counter < minimum || counter > MAX_ACTOR_COUNTER) {
    throw new InvalidCausalDataError(what, `counter ${String(counter)} is not an integer in [${minimum}, ${MAX_ACTOR_COUNTER}]`);
  }
  return counter;
}

/**
 * Reads a version vector from untrusted JSON (e.g. a context a client sent back): entries
 * `{actor, counter}` in any order; zero counters are dropped, duplicates and bad fields refused.
 */
export function parseVersionVector(json: unknown): VersionVector {
  if (!Array.isArray(json)) throw new InvalidCausalDataError('version vector', 'not an array');
  if (json.length > MAX_VERSION_VECTOR_ACTORS) {
    throw new InvalidCausalDataError('version vector', `${json.length} actors exceed the limit of ${MAX_VERSION_VECTOR_ACTORS}`);
  }
  const entries: VersionVectorEntry[] = [];
  for (const raw of json as unknown[]) {
    if (typeof raw !== 'object' || raw === null) throw new InvalidCausalDataError('version vector', 'an entry is not an object');
    const { actor, counter } = raw as { actor?: unknown; counter?: unknown };
    const checkedActor = assertActor(actor);
    const checkedCounter = assertCounter(counter, 0, 'version vector');
    if (checkedCounter > 0) entries.push({ actor: checkedActor, counter: checkedCounter });
  }
  entries.sort((a, b) => compareActors(a.actor, b.actor));
  return assertVersionVector(entries);
}
