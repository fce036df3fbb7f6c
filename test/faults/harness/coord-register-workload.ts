/**
 * A register workload against a coordination ensemble through the TypeScript client: clients race
 * read-then-CAS increments, plain reads and sync + reads on a few znodes, and every invocation and
 * completion goes into a History for test/faults/history/register-checker.ts.
 *
 * Used by the nemesis's coord scenario and by test/faults/coord-history.test.ts; the values a CAS
 * writes name the operation that wrote them.
 */
import { CoordClient } from '../../../core/coord/client/coord-client.js';
import { ZooKeeperError } from '../../../core/coord/client/errors.js';
import { ErrorCode } from '../../../core/coord/zookeeper-constants.js';
import { countOf, registerValue, type Operation, type Outcome } from '../history/history.js';

export const SESSION_TIMEOUT_MS = 10_000;
/** Share of a client's operations preceded by dropping its connection (it resumes the session elsewhere). */
const MIGRATE_PROBABILITY = 0.02;
/** Final reads retry a server still catching up this many times. */
const FINAL_READ_ATTEMPTS = 20;
const FINAL_READ_RETRY_MS = 500;

/** A definite error (the server refused: BADVERSION...) or an unknown outcome (the connection went). */
function outcomeOf(error: unknown): Outcome<never> {
  if (error instanceof ZooKeeperError && !error.retriable && error.code !== ErrorCode.SESSIONEXPIRED) return { type: 'failed', error: error.codeName };
  return { type: 'unknown', error: error instanceof ZooKeeperError ? error.codeName : String(error) };
}

/** Runs operations of the workload's clients and records each with its outcome. */
export class RegisterRecorder {
  readonly operations: Operation[] = [];
  readonly clients: CoordClient[] = [];
  private lastId = 0;
  private closedAll = false;

  /** Once closeAll() has run, whatever is still working (final reads past their time-out) stops. */
  get closed(): boolean {
    return this.closedAll;
  }

  async connect(connectString: string): Promise<CoordClient> {
    if (this.closedAll) throw new Error('the recorder is closed: no new clients');
    const client = await CoordClient.connect(connectString, { sessionTimeoutMs: SESSION_TIMEOUT_MS });
    if (this.closedAll) await client.close();
    else this.clients.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    this.closedAll = true;
    await Promise.all(this.clients.splice(0).map((client) => client.close().catch(() => undefined)));
  }

  private begin(client: CoordClient, name: string) {
    return { id: (this.lastId += 1), client: name, session: client.session.sessionId.toString(16), invokedAtMs: performance.now() };
  }

  async read(client: CoordClient, name: string, register: string, extra: { afterSync?: number; final?: boolean } = {}) {
    const base = { ...this.begin(client, name), kind: 'read' as const, register, ...extra };
    try {
      const { data, stat } = await client.getData(register);
      const outcome = { type: 'ok' as const, version: stat.version, value: data.toString(), mzxid: stat.mzxid };
      this.operations.push({ ...base, completedAtMs: performance.now(), outcome });
      return outcome;
    } catch (error) {
      this.operations.push({ ...base, completedAtMs: performance.now(), outcome: outcomeOf(error) });
      return undefined;
    }
  }

  async cas(client: CoordClient, name: string, register: string, seen: { version: number; value: string }): Promise<void> {
    const started = this.begin(client, name);
    const base = { ...started, kind: 'cas' as const, register, expectedVersion: seen.version, value: registerValue(countOf(seen.value) + 1, started.id) };
    try {
      const stat = await client.setData(register, base.value, seen.version);
      this.operations.push({ ...base, completedAtMs: performance.now(), outcome: { type: 'ok', version: stat.version, mzxid: stat.mzxid } });
    } catch (error) {
      this.operations.push({ ...base, completedAtMs: performance.now(), outcome: outcomeOf(error) });
    }
  }

  /** The id of the sync when acknowledged. */
  async sync(client: CoordClient, name: string, path: string): Promise<number | undefined> {
    const base = { ...this.begin(client, name), kind: 'sync' as const };
    try {
      await client.sync(path);
      this.operations.push({ ...base, completedAtMs: performance.now(), outcome: { type: 'ok' } });
      return base.id;
    } catch (error) {
      this.operations.push({ ...base, completedAtMs: performance.now(), outcome: outcomeOf(error) });
      return undefined;
    }
  }
}

export interface RegisterWorkload {
  readonly root: string;
  readonly registers: readonly string[];
}

/** One client until told to stop: now and then a move to another server, then 55% read-then-CAS, 30% read, 15% sync + read. */
export async function registerClientLoop(recorder: RegisterRecorder, workload: RegisterWorkload, name: string, connectString: string, random: () => number, running: () => boolean): Promise<void> {
  let client = await recorder.connect(connectString);
  while (running()) {
    if (client.session.state$.value === 'expired') client = await recorder.connect(connectString);
    if (random() < MIGRATE_PROBABILITY) client.session.dropConnection();
    const register = workload.registers[Math.floor(random() * workload.registers.length)]!;
    const choice = random();
    if (choice < 0.55) {
      const seen = await recorder.read(client, name, register);
      if (seen) await recorder.cas(client, name, register, seen);
    } else if (choice < 0.85) {
      await recorder.read(client, name, register);
    } else {
      const afterSync = await recorder.sync(client, name, workload.root);
      if (afterSync !== undefined) await recorder.read(client, name, register, { afterSync });
    }
  }
}

/** After the faults: each server, synced, reads each register — the final state. Throws if a server cannot. */
export async function finalRegisterReads(recorder: RegisterRecorder, workload: RegisterWorkload, ports: readonly number[]): Promise<void> {
  for (const [index, port] of ports.entries()) {
    const name = `final-${index + 1}`;
    let done = false;
    for (let attempt = 1; !done && attempt <= FINAL_READ_ATTEMPTS && !recorder.closed; attempt += 1) {
      const client = await recorder.connect(`127.0.0.1:${port}`).catch(() => undefined);
      const afterSync = client && (await recorder.sync(client, name, workload.root));
      if (client === undefined || afterSync === undefined) {
        await new Promise((resolve) => setTimeout(resolve, FINAL_READ_RETRY_MS));
        continue;
      }
      for (const register of workload.registers) await recorder.read(client, name, register, { afterSync, final: true });
      done = true;
    }
    if (!done) throw new Error(`server ${index + 1} (port ${port}) could not sync after the faults stopped (${FINAL_READ_ATTEMPTS} attempts)`);
  }
}
