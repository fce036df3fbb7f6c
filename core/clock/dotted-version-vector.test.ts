import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import * as dvv from './dotted-version-vector.js';
import { InvalidActorError, InvalidCausalDataError, TooManySiblingsError } from './errors.js';
import { EMPTY_VERSION_VECTOR, parseVersionVector } from './version-vector.js';

type State = dvv.DvvSet<string>;
const sorted = (items: readonly string[]): string[] => [...items].sort();

describe('dotted version vector sets', () => {
  it('keeps blind writes at one replica as siblings, newest first', () => {
    const first = dvv.update(dvv.empty<string>(), EMPTY_VERSION_VECTOR, 'a', 'v1');
    const second = dvv.update(first, EMPTY_VERSION_VECTOR, 'a', 'v2');
    expect(dvv.values(second)).toEqual(['v2', 'v1']);
    expect(dvv.join(second)).toEqual([{ actor: 'a', counter: 2 }]);
    expect(dvv.siblings(second)).toEqual([
      { actor: 'a', counter: 2, value: 'v2' },
      { actor: 'a', counter: 1, value: 'v1' },
    ]);
  });

  it('replaces what the client read and keeps what was written after the read', () => {
    const v1 = dvv.update(dvv.empty<string>(), EMPTY_VERSION_VECTOR, 'a', 'v1');
    const readContext = dvv.join(v1);
    const v2 = dvv.update(v1, EMPTY_VERSION_VECTOR, 'a', 'v2'); // someone else, after our read
    const v3 = dvv.update(v2, readContext, 'a', 'v3');
    expect(dvv.values(v3)).toEqual(['v3', 'v2']);
    expect(dvv.siblingCount(v3)).toBe(2);
  });

  it('resolves siblings from different replicas with one write carrying the merged context', () => {
    const atA = dvv.update(dvv.empty<string>(), EMPTY_VERSION_VECTOR, 'a', 'x');
    const atB = dvv.update(dvv.empty<string>(), EMPTY_VERSION_VECTOR, 'b', 'y');
    const merged = dvv.sync(atA, atB);
    expect(sorted(dvv.values(merged))).toEqual(['x', 'y']);
    expect(dvv.compare(atA, atB)).toBe('concurrent');
    const resolved = dvv.reconcile(merged, (siblings) => sorted(siblings).join('+'));
    expect(resolved).toEqual({ context: dvv.join(merged), value: 'x+y' });
    const written = dvv.update(merged, resolved.context, 'b', resolved.value);
    expect(dvv.values(written)).toEqual(['x+y']);
    // The old siblings still on replica a are dropped when it syncs the resolution.
    expect(dvv.values(dvv.sync(atA, written))).toEqual(['x+y']);
    expect(dvv.descends(written, merged)).toBe(true);
    expect(dvv.compare(merged, written)).toBe('before');
  });

  it('honours a context from another replica that is ahead of the coordinator (sloppy quorum)', () => {
    const atA = dvv.update(dvv.update(dvv.empty<string>(), EMPTY_VERSION_VECTOR, 'a', 'v1'), EMPTY_VERSION_VECTOR, 'a', 'v2');
    const staleB = dvv.update(dvv.empty<string>(), EMPTY_VERSION_VECTOR, 'a', 'v1'); // b only has a:1
    const atB = dvv.update(staleB, dvv.join(atA), 'b', 'v3'); // client read a:2 from replica a
    expect(dvv.values(atB)).toEqual(['v3']);
    expect(dvv.values(dvv.sync(atA, atB))).toEqual(['v3']);
  });

  it('refuses a write that would leave too many siblings', () => {
    let state = dvv.empty<string>();
    for (let i = 0; i < 3; i++) state = dvv.update(state, EMPTY_VERSION_VECTOR, 'a', `v${i}`, { maxSiblings: 3 });
    expect(() => dvv.update(state, EMPTY_VERSION_VECTOR, 'a', 'v3', { maxSiblings: 3 })).toThrow(TooManySiblingsError);
    expect(dvv.values(dvv.update(state, dvv.join(state), 'a', 'v3', { maxSiblings: 3 }))).toEqual(['v3']);
  });

  it('refuses bad actors and malformed contexts with typed errors', () => {
    expect(() => dvv.update(dvv.empty<string>(), EMPTY_VERSION_VECTOR, '', 'v')).toThrow(InvalidActorError);
    const unsorted = [
      { actor: 'b', counter: 1 },
      { actor: 'a', counter: 1 },
    ];
    expect(() => dvv.update(dvv.empty<string>(), unsorted, 'a', 'v')).toThrow(InvalidCausalDataError);
  });

  it('round-trips through JSON with a value codec', () => {
    const state = dvv.sync(
      dvv.update(dvv.empty<Buffer>(), EMPTY_VERSION_VECTOR, 'a', Buffer.from('hello')),
      dvv.update(dvv.empty<Buffer>(), EMPTY_VERSION_VECTOR, 'b', Buffer.from([0, 255])),
    );
    const text = JSON.stringify(dvv.toJson(state, (value) => value.toString('base64')));
    const decoded = dvv.fromJson(JSON.parse(text), (raw) => Buffer.from(String(raw), 'base64'));
    expect(dvv.values(decoded)).toEqual(dvv.values(state));
    expect(dvv.join(decoded)).toEqual(dvv.join(state));
  });

  it('refuses malformed stored or received states', () => {
    const identity = (raw: unknown): unknown => raw;
    const bad: unknown[] = [
      null,
      { entries: 'x' },
      { entries: [null] },
      { entries: [{ actor: 'a', counter: 0, values: [] }] },
      { entries: [{ actor: 'a', counter: 1, values: ['x', 'y'] }] },
      { entries: [{ actor: 'a', counter: 1 }] },
      {
        entries: [
          { actor: 'b', counter: 1, values: [] },
          { actor: 'a', counter: 1, values: [] },
        ],
      },
    ];
    for (const json of bad) expect(() => dvv.fromJson(json, identity)).toThrow(InvalidCausalDataError);
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        try {
          dvv.fromJson(json, identity);
        } catch (error) {
          expect(error instanceof InvalidCausalDataError || error instanceof InvalidActorError).toBe(true);
        }
      }),
    );
  });
});

/**
 * A cluster of replicas driven by random writes and syncs, checked against a reference model that
 * keeps explicit sets of dots: a value is live until some write whose context covered it, or some
 * state that saw it die, meets it.
 */
describe('dotted version vector sets (properties)', () => {
  const replicas = ['a', 'b', 'c'] as const;
  type Operation = { kind: 'write'; at: number; readFrom: number | null } | { kind: 'sync'; into: number; from: number };
  const replicaIndex = fc.integer({ min: 0, max: replicas.length - 1 });
  const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
    fc.record({ kind: fc.constant('write' as const), at: replicaIndex, readFrom: fc.option(replicaIndex) }),
    fc.record({ kind: fc.constant('sync' as const), into: replicaIndex, from: replicaIndex }),
  );

  interface ModelState {
    readonly known: ReadonlySet<string>; // dots in the causal history
    readonly live: ReadonlyMap<string, string>; // dot → value
  }
  const dot = (actor: string, counter: number): string => `${actor}:${counter}`;
  const modelSync = (x: ModelState, y: ModelState): ModelState => {
    const live = new Map<string, string>();
    for (const [d, value] of [...x.live, ...y.live]) {
      const deadInX = x.known.has(d) && !x.live.has(d);
      const deadInY = y.known.has(d) && !y.live.has(d);
      if (!deadInX && !deadInY) live.set(d, value);
    }
    return { known: new Set([...x.known, ...y.known]), live };
  };

  /** Runs the operations; returns every state reached (for picking arguments) and checks the model. */
  function run(operations: readonly Operation[]): State[] {
    const states: State[] = replicas.map(() => dvv.empty<string>());
    const models: ModelState[] = replicas.map(() => ({ known: new Set<string>(), live: new Map<string, string>() }));
    const reached: State[] = [dvv.empty<string>()];
    operations.forEach((operation, step) => {
      if (operation.kind === 'sync') {
        states[operation.into] = dvv.sync(states[operation.into] as State, states[operation.from] as State);
        models[operation.into] = modelSync(models[operation.into] as ModelState, models[operation.from] as ModelState);
        reached.push(states[operation.into] as State);
        return;
      }
      const actor = replicas[operation.at] as string;
      const seen = operation.readFrom === null ? undefined : (models[operation.readFrom] as ModelState);
      const context = operation.readFrom === null ? EMPTY_VERSION_VECTOR : dvv.join(states[operation.readFrom] as State);
      const value = `w${step}`;
      states[operation.at] = dvv.update(states[operation.at] as State, context, actor, value, { maxSiblings: 1_000 });
      const model = models[operation.at] as ModelState;
      const known = new Set([...model.known, ...(seen?.known ?? [])]);
      const counter = 1 + Math.max(0, ...[...known].filter((d) => d.startsWith(`${actor}:`)).map((d) => Number(d.split(':')[1])));
      const live = new Map([...model.live].filter(([d]) => !(seen?.known.has(d) ?? false)));
      live.set(dot(actor, counter), value);
      known.add(dot(actor, counter));
      models[operation.at] = { known, live };
      reached.push(states[operation.at] as State);
    });
    states.forEach((state, i) => {
      const model = models[i] as ModelState;
      const liveDots = new Map(dvv.siblings(state).map((s) => [dot(s.actor, s.counter), s.value]));
      expect(liveDots).toEqual(model.live);
      for (const { actor, counter } of dvv.join(state)) {
        for (let k = 1; k <= counter; k++) expect(model.known.has(dot(actor, k))).toBe(true);
      }
      expect(dvv.join(state).reduce((total, entry) => total + entry.counter, 0)).toBe(model.known.size);
    });
    return reached;
  }

  const historyArbitrary = fc.array(operationArbitrary, { maxLength: 30 });
  const pick = (states: readonly State[], index: number): State => states[index % states.length] as State;

  it('agrees with the reference model of live and obsolete values', () => {
    fc.assert(fc.property(historyArbitrary, (operations) => void run(operations)));
  });

  it('syncs commutatively, associatively and idempotently', () => {
    fc.assert(
      fc.property(historyArbitrary, fc.nat(), fc.nat(), fc.nat(), (operations, i, j, k) => {
        const reached = run(operations);
        const [x, y, z] = [pick(reached, i), pick(reached, j), pick(reached, k)];
        expect(dvv.sync(x, y)).toEqual(dvv.sync(y, x));
        expect(dvv.sync(dvv.sync(x, y), z)).toEqual(dvv.sync(x, dvv.sync(y, z)));
        expect(dvv.sync(x, x)).toEqual(x);
        expect(dvv.descends(dvv.sync(x, y), x)).toBe(true);
        expect(dvv.syncAll([x, y, z])).toEqual(dvv.sync(dvv.sync(x, y), z));
      }),
    );
  });

  it('leaves exactly one value after a write with the full context', () => {
    fc.assert(
      fc.property(historyArbitrary, fc.nat(), replicaIndex, (operations, i, at) => {
        const state = pick(run(operations), i);
        const written = dvv.update(state, dvv.join(state), replicas[at] as string, 'final');
        expect(dvv.values(written)).toEqual(['final']);
        expect(dvv.compare(written, state)).toBe('after');
      }),
    );
  });

  it('keeps both values of concurrent writes, at one replica or at two', () => {
    fc.assert(
      fc.property(historyArbitrary, fc.nat(), replicaIndex, replicaIndex, (operations, i, first, second) => {
        const state = pick(run(operations), i);
        const context = dvv.join(state); // both clients read the same state, neither saw the other
        const one = dvv.update(state, context, replicas[first] as string, 'one');
        const other = dvv.update(first === second ? one : state, context, replicas[second] as string, 'other');
        const merged = first === second ? other : dvv.sync(one, other);
        expect(sorted(dvv.values(merged))).toEqual(['one', 'other']);
      }),
    );
  });

  it('survives a JSON round trip unchanged', () => {
    fc.assert(
      fc.property(historyArbitrary, fc.nat(), (operations, i) => {
        const state = pick(run(operations), i);
        const decoded = dvv.fromJson(JSON.parse(JSON.stringify(dvv.toJson(state, (v) => v))), (raw) => String(raw));
        expect(decoded).toEqual(state);
        expect(parseVersionVector(JSON.parse(JSON.stringify(dvv.join(state))))).toEqual(dvv.join(state));
      }),
    );
  });
});
