/**
 * The register checker, fed hand-written histories: a valid one passes, and each planted
 * violation is caught — so a clean run of the fault test means something.
 */
import { describe, expect, it } from '@jest/globals';
import { registerValue, type CasOperation, type History, type Operation, type ReadOperation, type SyncOperation } from './history.js';
import { checkRegisterHistory, type ViolationKind } from './register-checker.js';
import { describeViolations, summarize } from './report.js';
import { mulberry32 } from '../../../core/random/mulberry32.js';

type Times = [invokedAtMs: number, completedAtMs: number];

function cas(id: number, client: string, [invokedAtMs, completedAtMs]: Times, register: string, expectedVersion: number, result: { version: number; mzxid: bigint } | 'unknown' | 'failed'): CasOperation {
  const outcome = result === 'unknown' ? { type: 'unknown' as const, error: 'CONNECTIONLOSS' } : result === 'failed' ? { type: 'failed' as const, error: 'BADVERSION' } : { type: 'ok' as const, ...result };
  return { id, client, session: client, invokedAtMs, completedAtMs, kind: 'cas', register, expectedVersion, value: registerValue(expectedVersion + 1, id), outcome };
}

/** A successful read of `version`, written by CAS `writer` (or the initial "0" when undefined). */
function read(id: number, client: string, [invokedAtMs, completedAtMs]: Times, register: string, version: number, writer: number | undefined, mzxid: bigint, extra: Partial<ReadOperation> = {}): ReadOperation {
  const value = writer === undefined ? '0' : registerValue(version, writer);
  return { id, client, session: client, invokedAtMs, completedAtMs, kind: 'read', register, outcome: { type: 'ok', version, value, mzxid }, ...extra };
}

function sync(id: number, client: string, [invokedAtMs, completedAtMs]: Times): SyncOperation {
  return { id, client, session: client, invokedAtMs, completedAtMs, kind: 'sync', outcome: { type: 'ok' } };
}

const R = '/r';
const S = '/s';

function history(operations: Operation[], registers: string[] = [R]): History {
  return { initial: new Map(registers.map((register) => [register, { version: 0, value: '0' }])), operations };
}

/** Three clients race on /r; one unknown CAS took effect, another did not; one CAS lost the race. */
function validOperations(): Operation[] {
  return [
    cas(1, 'a', [0, 2], R, 0, { version: 1, mzxid: 10n }),
    read(2, 'b', [3, 4], R, 1, 1, 10n),
    cas(3, 'b', [5, 6], R, 1, 'unknown'), // took effect as v2
    cas(4, 'c', [5.5, 8], R, 1, 'failed'),
    read(5, 'a', [9, 10], R, 2, 3, 20n),
    cas(6, 'a', [11, 12], R, 2, { version: 3, mzxid: 30n }),
    sync(7, 'c', [13, 14]),
    read(8, 'c', [15, 16], R, 3, 6, 30n, { afterSync: 7 }),
    cas(9, 'c', [17, 18], R, 3, 'unknown'), // never took effect
    read(10, 'final-1', [20, 21], R, 3, 6, 30n, { final: true }),
    read(11, 'final-2', [20, 21], R, 3, 6, 30n, { final: true }),
  ];
}

/** The valid history with operations replaced (same id) or added. */
function plant(...changes: Operation[]): History {
  const operations = validOperations();
  for (const change of changes) {
    const index = operations.findIndex((op) => op.id === change.id);
    if (index >= 0) operations[index] = change;
    else operations.push(change);
  }
  return history(operations);
}




/**
 * A correct service: writes apply atomically at invocation, reads come from a lagging replica
 * that never goes back for a session (any state between the session's last one and the newest),
 * sync + read sees the newest. Unknown CAS outcomes apply or not at random.
 */
function simulatedHistory(seed: number, operationCount: number): History {
  const next = mulberry32(seed);
  const registers = [R, S];
  const states: Array<Map<string, { version: number; value: string; mzxid: bigint }>> = [new Map(registers.map((register) => [register, { version: 0, value: '0', mzxid: 0n }]))];
  const clients = ['a', 'b', 'c', 'd'].map((name) => ({ name, seenIndex: 0, freeAtMs: 0, lastRead: new Map<string, number>() }));
  const operations: Operation[] = [];
  for (let id = 1, nowMs = 0; id <= operationCount; id += 1, nowMs += next()) {
    // Operations apply in invocation order, so only a client that is free now may invoke one.
    const free = clients.filter((candidate) => candidate.freeAtMs <= nowMs);
    if (free.length === 0) {
      nowMs = Math.min(...clients.map((candidate) => candidate.freeAtMs));
      id -= 1;
      continue;
    }
    const client = free[Math.floor(next() * free.length)]!;
    const register = registers[Math.floor(next() * registers.length)]!;
    const times: Times = [nowMs, nowMs + next() * 3];
    client.freeAtMs = times[1];
    const head = states.length - 1;
    const choice = next();
    if (choice < 0.4) {
      const index = client.seenIndex + Math.floor(next() * (head - client.seenIndex + 1));
      const state = states[index]!.get(register)!;
      operations.push({ ...read(id, client.name, times, register, 0, undefined, 0n), outcome: { type: 'ok', ...state } });
      client.seenIndex = index;
      client.lastRead.set(register, state.version);
    } else if (choice < 0.5) {
      operations.push(sync(id, client.name, times));
      const state = states[head]!.get(register)!;
      operations.push({ ...read(id + 1, client.name, [times[1], times[1] + 0.1], register, 0, undefined, 0n, { afterSync: id }), outcome: { type: 'ok', ...state } });
      client.seenIndex = head;
      client.freeAtMs += 0.1;
      id += 1;
    } else {
      const expected = client.lastRead.get(register) ?? 0;
      const current = states[head]!.get(register)!;
      const unknown = next() < 0.2;
      const applies = current.version === expected && (!unknown || next() < 0.5);
      const op = cas(id, client.name, times, register, expected, unknown ? 'unknown' : applies ? { version: expected + 1, mzxid: BigInt(head + 1) } : 'failed');
      operations.push(op);
      if (!applies) continue;
      states.push(new Map([...states[head]!, [register, { version: expected + 1, value: op.value, mzxid: BigInt(head + 1) }]]));
      if (!unknown) client.seenIndex = head + 1;
    }
  }
  const last = states[states.length - 1]!;
  for (const register of registers) operations.push({ ...read(operationCount + operations.length + 1, 'final', [1e9, 1e9 + 1], register, 0, undefined, 0n, { final: true }), outcome: { type: 'ok', ...last.get(register)! } });
  return history(operations, registers);
}

const kinds = (target: History): ViolationKind[] => [...new Set(checkRegisterHistory(target).map((violation) => violation.kind))].sort();

describe('register history checker', () => {
  it('accepts a valid history with races, lost CAS races and unknown outcomes either way', () => {
    expect(checkRegisterHistory(history(validOperations()))).toEqual([]);
    expect(summarize(history(validOperations()))).toEqual({ operations: 11, reads: 5, syncs: 1, cas: 5, acked: 2, unknown: 2, failed: 1 });
  });

  it('accepts every history of a simulated correct service (seeds 1–50)', () => {
    for (let seed = 1; seed <= 50; seed += 1) {
      const target = simulatedHistory(seed, 300);
      expect({ seed, violations: describeViolations(target, checkRegisterHistory(target)) }).toEqual({ seed, violations: 'history excerpt (by invocation time):' });
    }
  });

  it('catches two acknowledged writers given the same version', () => {
    const found = checkRegisterHistory(plant(cas(12, 'b', [11, 12.5], R, 2, { version: 3, mzxid: 31n })));
    expect(found.map((violation) => violation.kind)).toContain('duplicate-version');
    expect(found.find((violation) => violation.kind === 'duplicate-version')!.operations).toEqual([6, 12]);
  });

  it('catches a CAS acknowledged with a version other than the next one', () => {
    expect(kinds(history([cas(1, 'a', [0, 1], R, 0, { version: 2, mzxid: 10n })]))).toContain('cas-version');
  });

  it('catches a value no invoked CAS wrote, and one written by a CAS that definitely failed', () => {
    const neverInvoked = read(5, 'a', [9, 10], R, 2, 99, 20n);
    expect(kinds(plant(neverInvoked))).toEqual(['phantom-write']);
    const failedWriter = read(5, 'a', [9, 10], R, 2, 4, 20n);
    expect(kinds(plant(failedWriter))).toEqual(['phantom-write']);
  });

  it('catches two reports of one version that disagree', () => {
    expect(kinds(plant(read(12, 'c', [3, 4], R, 1, 1, 11n)))).toEqual(['version-conflict']);
  });

  it('catches a read that returned a write not yet invoked', () => {
    expect(kinds(plant(read(12, 'd', [-2, -1], R, 1, 1, 10n)))).toEqual(['read-before-write']);
  });

  it('catches versions whose mzxids go backwards', () => {
    expect(kinds(plant(read(5, 'a', [9, 10], R, 2, 3, 40n)))).toEqual(['mzxid-order']);
  });

  it('catches a write ordered before one that completed before it was invoked', () => {
    const target = history([cas(1, 'a', [3, 5], R, 0, { version: 1, mzxid: 10n }), cas(2, 'b', [1, 2], R, 1, { version: 2, mzxid: 20n })]);
    expect(kinds(target)).toEqual(['real-time-order']);
  });

  it('catches a session reading an older version than it read before', () => {
    expect(kinds(plant(read(12, 'b', [4.5, 4.8], R, 0, undefined, 5n)))).toEqual(['non-monotonic-read']);
  });

  it('catches a session reading an older version than its own acknowledged write', () => {
    expect(kinds(plant(read(12, 'a', [12.5, 13], R, 2, 3, 20n)))).toEqual(['stale-after-own-write']);
  });

  it('catches a session reading a register older than a zxid it saw on another register', () => {
    const target = history(
      [...validOperations(), cas(12, 'd', [19, 19.5], S, 0, { version: 1, mzxid: 25n }), read(13, 'e', [22, 23], S, 1, 12, 25n), read(14, 'e', [24, 25], R, 1, 1, 10n)],
      [R, S],
    );
    expect(kinds(target)).toEqual(['zxid-regression']);
  });

  it('catches a read after sync that misses a write acknowledged before the sync', () => {
    expect(kinds(plant(sync(12, 'e', [13, 14]), read(13, 'e', [15, 16], R, 2, 3, 20n, { afterSync: 12 })))).toEqual(['stale-after-sync']);
  });

  it('catches final reads that disagree, and a final state missing an acknowledged write', () => {
    expect(kinds(plant(read(11, 'final-2', [20, 21], R, 2, 3, 20n, { final: true })))).toEqual(['final-disagreement']);
    const lost = [10, 11].map((id) => read(id, `final-${id}`, [20, 21], R, 2, 3, 20n, { final: true }));
    expect(kinds(plant(...lost))).toEqual(['lost-write']);
  });

  it('catches a final version that no CAS could have reached', () => {
    const target = history([cas(1, 'a', [0, 1], R, 0, { version: 1, mzxid: 10n }), cas(5, 'b', [2, 3], R, 2, 'unknown'), read(6, 'final', [4, 5], R, 3, 5, 30n, { final: true })]);
    expect(kinds(target)).toEqual(['chain-gap']);
  });

  it('prints the violations with the history around them', () => {
    const target = plant(read(12, 'b', [4.5, 4.8], R, 0, undefined, 5n));
    const text = describeViolations(target, checkRegisterHistory(target));
    expect(text).toContain('non-monotonic-read: session b read /r v0 (#12) after reading v1 (#2)');
    expect(text).toContain('#12 b/b read /r → ok v0 "0" mzxid 0x5 [4.5..4.8 ms]');
  });
});
