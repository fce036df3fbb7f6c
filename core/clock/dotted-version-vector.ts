/**
 * Dotted version vector sets (Preguiça, Baquero, Almeida et al., "Dotted Version Vectors", 2010;
 * "Scalable and Accurate Causality Tracking for Eventually Consistent Stores", 2014; Riak's
 * dvvset.erl). One per key: every value a replica still holds, each tagged with the dot (actor,
 * counter) of the write that made it, plus the causal history that made older values obsolete.
 *
 * Representation: entries sorted by actor; entry {actor, counter, values} says that events
 * 1..counter of `actor` are known and that `values[i]` (newest first) is the live value of dot
 * (actor, counter - i). Values with older dots of that actor are obsolete.
 *
 * Guarantees:
 * - `sync` is commutative, associative and idempotent (per actor it takes the largest counter
 *   and the latest start of the live suffix, both maxima), so replicas converge whatever order
 *   they exchange states in;
 * - `update(set, context, actor, value)` drops exactly the values whose dots `context` covers
 *   (what the client read) and keeps the rest as siblings: a write with the full context leaves one
 *   value, writes without context never lose each other;
 * - a dot is never reused as long as each actor id belongs to one replica that does not lose its
 *   own writes (give a replica that lost its storage a new actor id).
 *
 * Unlike dvvset.erl there are no anonymous (dot-less) values: they make `sync` non-associative and
 * would survive a later write that saw them. `reconcile` therefore returns the context and merged
 * value to write through `update`, which is how Riak uses its reconcile anyway.
 *
 * Use with a namespace import: `import * as dvv from './dotted-version-vector.js'`.
 */
import { ActorCounterOverflowError, InvalidCausalDataError, TooManySiblingsError } from './errors.js';
import { DEFAULT_MAX_SIBLINGS, MAX_ACTOR_COUNTER, MAX_VERSION_VECTOR_ACTORS } from './limits.js';
import {
  assertActor,
  assertCounter,
  assertVersionVector,
  compareActors,
  compareVersionVectors,
  vectorDescends,
  zipByActor,
  type CausalOrder,
  type VersionVector,
} from './version-vector.js';

export interface DvvEntry<V> {
  readonly actor: string;
  readonly counter: number;
  /** Live values of this actor, newest first: values[i] has dot (actor, counter - i). */
  readonly values: readonly V[];
}

export interface DvvSet<V> {
  readonly entries: readonly DvvEntry<V>[];
}

export interface DottedValue<V> {
  readonly actor: string;
  readonly counter: number;
  readonly value: V;
}

/** What `reconcile` produces: write `value` with `context` through `update` to replace all siblings. */
export interface ResolvedWrite<V> {
  readonly context: VersionVector;
  readonly value: V;
}

export interface UpdateOptions {
  /** Most siblings the write may leave; default DEFAULT_MAX_SIBLINGS. */
  readonly maxSiblings?: number;
}

/** The JSON form: the same shape, values passed through the caller's encoder. */
export interface DvvSetJson<J> {
  readonly entries: readonly { readonly actor: string; readonly counter: number; readonly values: readonly J[] }[];
}

/** The state of a key nobody wrote. */
export function empty<V>(): DvvSet<V> {
  return { entries: [] };
}

/** Merges two replicas' states of one key: the causal history of both, the values neither made obsolete. */
export function sync<V>(a: DvvSet<V>, b: DvvSet<V>): DvvSet<V> {
  const entries: DvvEntry<V>[] = [];
  zipByActor(a.entries, b.entries, (_actor, left, right) => {
    if (left === undefined) entries.push(right as DvvEntry<V>);
    else if (right === undefined) entries.push(left);
    else entries.push(left.counter >= right.counter ? mergeEntry(left, right) : mergeEntry(right, left));
  });
  return { entries };
}

/** `sync` over any number of states (the empty state for none). */
export function syncAll<V>(sets: readonly DvvSet<V>[]): DvvSet<V> {
  return sets.reduce<DvvSet<V>>((merged, set) => sync(merged, set), empty<V>());
}

/** Per actor: the larger counter, and of its live values only those the other side has not seen die. */
function mergeEntry<V>(newer: DvvEntry<V>, older: DvvEntry<V>): DvvEntry<V> {
  const olderStart = older.counter - older.values.length;
  const newerStart = newer.counter - newer.values.length;
  if (newerStart >= olderStart) return newer;
  return { actor: newer.actor, counter: newer.counter, values: newer.values.slice(0, newer.counter - olderStart) };
}

/** The causal context to hand a client with the values it read; it sends it back with its next write. */
export function join<V>(set: DvvSet<V>): VersionVector {
  return set.entries.map(({ actor, counter }) => ({ actor, counter }));
}

/**
 * A write coordinated by replica `actor`: drops the values whose dots `context` covers, keeps the
 * others as siblings and adds `value` with a new dot of `actor`. `context` is what the client read
 * (`join` of some replica's state, or EMPTY_VERSION_VECTOR for a blind write).
 */
export function update<V>(set: DvvSet<V>, context: VersionVector, actor: string, value: V, options: UpdateOptions = {}): DvvSet<V> {
  assertActor(actor);
  assertVersionVector(context);
  const maxSiblings = options.maxSiblings ?? DEFAULT_MAX_SIBLINGS;
  const entries: DvvEntry<V>[] = [];
  let siblingsLeft = 1;
  zipByActor(set.entries, context, (name, entry, seen) => {
    const seenCounter = seen?.counter ?? 0;
    const kept = entry === undefined ? [] : entry.values.slice(0, Math.max(0, entry.counter - seenCounter));
    siblingsLeft += kept.length;
    entries.push({ actor: name, counter: Math.max(entry?.counter ?? 0, seenCounter), values: kept });
  });
  if (siblingsLeft > maxSiblings) throw new TooManySiblingsError(siblingsLeft, maxSiblings);
  return { entries: recordEvent(entries, actor, value) };
}

/** Adds `value` as the next event of `actor` (its counter + 1), keeping entries sorted. */
function recordEvent<V>(entries: DvvEntry<V>[], actor: string, value: V): DvvEntry<V>[] {
  const index = entries.findIndex((entry) => compareActors(entry.actor, actor) >= 0);
  const existing = index === -1 ? undefined : entries[index];
  if (existing !== undefined && existing.actor === actor) {
    if (existing.counter >= MAX_ACTOR_COUNTER) throw new ActorCounterOverflowError(actor);
    entries[index] = { actor, counter: existing.counter + 1, values: [value, ...existing.values] };
  } else {
    if (entries.length >= MAX_VERSION_VECTOR_ACTORS) {
      throw new InvalidCausalDataError('dotted version vector set', `a new actor would exceed the limit of ${MAX_VERSION_VECTOR_ACTORS}`);
    }
    entries.splice(index === -1 ? entries.length : index, 0, { actor, counter: 1, values: [value] });
  }
  return entries;
}

/** Every live value (siblings), by actor and newest first within an actor. */
export function values<V>(set: DvvSet<V>): V[] {
  return set.entries.flatMap((entry) => entry.values);
}

/** Every live value with its dot. */
export function siblings<V>(set: DvvSet<V>): DottedValue<V>[] {
  return set.entries.flatMap((entry) => entry.values.map((value, i) => ({ actor: entry.actor, counter: entry.counter - i, value })));
}

/** Number of live values. */
export function siblingCount<V>(set: DvvSet<V>): number {
  return set.entries.reduce((count, entry) => count + entry.values.length, 0);
}

/**
 * Merges the siblings with `resolver` (e.g. a monoid's combine, or last-writer-wins by timestamp)
 * into one value and the context that covers them all; `update` with both replaces the siblings.
 */
export function reconcile<V>(set: DvvSet<V>, resolver: (siblings: readonly V[]) => V): ResolvedWrite<V> {
  return { context: join(set), value: resolver(values(set)) };
}

/** Applies `mapper` to every value, keeping the causal structure (e.g. to encode values for storage). */
export function mapValues<V, W>(set: DvvSet<V>, mapper: (value: V) => W): DvvSet<W> {
  return { entries: set.entries.map((entry) => ({ actor: entry.actor, counter: entry.counter, values: entry.values.map(mapper) })) };
}

/** How the causal histories of two states relate ('before': `a` is strictly older than `b`). */
export function compare<V>(a: DvvSet<V>, b: DvvSet<V>): CausalOrder {
  return compareVersionVectors(join(a), join(b));
}

/** True when `a` has seen every event `b` has (syncing `b` into `a` adds no history). */
export function descends<V>(a: DvvSet<V>, b: DvvSet<V>): boolean {
  return vectorDescends(join(a), join(b));
}

/** The JSON-serialisable form, each value passed through `encodeValue` (e.g. a Buffer to base64). */
export function toJson<V, J>(set: DvvSet<V>, encodeValue: (value: V) => J): DvvSetJson<J> {
  return mapValues(set, encodeValue);
}

/**
 * Reads the form of `toJson` from untrusted input (storage, a peer), checking its structure and
 * limits; each value goes through `decodeValue`, which should throw on garbage.
 */
export function fromJson<V>(json: unknown, decodeValue: (raw: unknown) => V): DvvSet<V> {
  const what = 'dotted version vector set';
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { entries?: unknown }).entries)) {
    throw new InvalidCausalDataError(what, 'expected an object with an entries array');
  }
  const rawEntries = (json as { entries: unknown[] }).entries;
  if (rawEntries.length > MAX_VERSION_VECTOR_ACTORS) {
    throw new InvalidCausalDataError(what, `${rawEntries.length} actors exceed the limit of ${MAX_VERSION_VECTOR_ACTORS}`);
  }
  const entries = rawEntries.map((raw): DvvEntry<V> => {
    if (typeof raw !== 'object' || raw === null) throw new InvalidCausalDataError(what, 'an entry is not an object');
    const { actor, counter, values: rawValues } = raw as { actor?: unknown; counter?: unknown; values?: unknown };
    const checkedActor = assertActor(actor);
    const checkedCounter = assertCounter(counter, 1, what);
    if (!Array.isArray(rawValues) || rawValues.length > checkedCounter) {
      throw new InvalidCausalDataError(what, `values of ${JSON.stringify(checkedActor)} must be an array of at most ${checkedCounter}`);
    }
    return { actor: checkedActor, counter: checkedCounter, values: rawValues.map((value: unknown) => decodeValue(value)) };
  });
  assertVersionVector(join({ entries }));
  return { entries };
}
