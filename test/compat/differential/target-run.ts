/**
 * One server's side of a differential run: the sessions of one sequence, what each of them heard
 * (watch events, in arrival order), and the execution of operations into normalised outcomes.
 */
import { EventType, OpCode } from '../../../core/coord/zookeeper-constants.js';
import type { ACL, Stat } from '../../../core/coord/tree/types.js';
import { ZooKeeperClient } from '../../../core/coord/client/zookeeper-client.js';
import { Normaliser, type NormalisedStat } from './normaliser.js';
import type { MultiStep, Operation, Sequence, VersionChoice } from './operations.js';
import { DATA, LAST_CREATED, USERS, resolveAcl } from './vocabulary.js';
import * as wire from './wire.js';

export interface TargetOptions {
  /** Connect string of each session (one server each, so placement is deterministic). */
  sessionServers: string[];
  root: string;
  /** Before an operation of another session than the previous one: sync (needed when sessions use different servers). */
  syncOnActorChange: boolean;
}

/** Event-log markers around a session's close. */
export const CLOSE_BEGINS = '-- close begins';
export const CLOSE_ENDS = '-- close ends';

export type Outcome = { result: unknown; zxidOrder?: string; timeAnomalies?: string[] };

const SESSION_TIMEOUT_MS = 15_000;
const CLOSE_TIMEOUT_MS = 2_000;
const EVENT_NAMES = new Map<number, string>(Object.entries(EventType).map(([name, value]) => [value, name]));

export function describeData(data: Buffer): string {
  return data.length > 16 ? `${data.subarray(0, 4).toString()}…(${data.length} bytes)` : JSON.stringify(data.toString());
}

export class TargetRun {
  readonly events: string[][];
  private readonly normaliser: Normaliser;
  private readonly known = new Map<string, { version: number; aversion: number }>();
  private lastCreated: string | undefined;
  private lastActor = -1;
  private readonly closed: boolean[];

  private constructor(
    private readonly options: TargetOptions,
    private readonly sessions: ZooKeeperClient[],
    events: string[][],
  ) {
    this.events = events;
    this.closed = sessions.map(() => false);
    this.normaliser = new Normaliser(options.root, sessions.map((session) => session.sessionId));
  }

  static async open(options: TargetOptions, sequence: Sequence): Promise<TargetRun> {
    const events: string[][] = options.sessionServers.map(() => []);
    const relative = (path: string) => (path === options.root ? 'R' : path.replace(`${options.root}/`, 'R/'));
    const sessions: ZooKeeperClient[] = [];
    for (const [index, server] of options.sessionServers.entries()) {
      const defaultWatcher = (event: { type: number; path: string }) => events[index]!.push(`${EVENT_NAMES.get(event.type) ?? event.type} ${relative(event.path)}`);
      const session = await ZooKeeperClient.connect(server, { sessionTimeoutMs: SESSION_TIMEOUT_MS, defaultWatcher });
      sessions.push(session);
      for (const user of sequence.initialAuth[index] ?? []) await session.addAuth('digest', USERS[user]);
    }
    return new TargetRun(options, sessions, events);
  }

  async run(operation: Operation): Promise<Outcome> {
    const session = this.sessions[operation.session]!;
    if (this.options.syncOnActorChange && operation.session !== this.lastActor && operation.op !== 'close') {
      await wire.call(session, OpCode.sync, 'sync', this.options.root, (w) => w.string(this.options.root), wire.readPath);
    }
    this.lastActor = operation.session;
    // A session's close deletes its ephemerals in one transaction; markers around it (placed
    // after syncs, so every earlier event is in) let the comparison find that transaction's events.
    if (operation.op === 'close') await this.markEvents(`${CLOSE_BEGINS} of session${operation.session}`);
    const result = await this.execute(session, operation);
    if (operation.op === 'close') await this.markEvents(CLOSE_ENDS);
    const outcome: Outcome = { result };
    const zxidOrder = this.normaliser.takeZxidOrder();
    if (zxidOrder !== undefined) outcome.zxidOrder = zxidOrder;
    const anomalies = this.normaliser.takeAnomalies();
    if (anomalies !== undefined) outcome.timeAnomalies = anomalies;
    return outcome;
  }

  private async markEvents(marker: string): Promise<void> {
    for (const [index, session] of this.sessions.entries()) {
      if (this.closed[index]) continue;
      await wire.call(session, OpCode.sync, 'sync', '/', (w) => w.string('/'), wire.readPath);
      this.events[index]!.push(marker);
    }
  }

  /** Syncs every live session (so their watch events are in) and dumps the tree under the root. */
  async finish(): Promise<{ events: string[][]; tree: unknown[]; zxidOrder?: string }> {
    for (const [index, session] of this.sessions.entries()) {
      if (!this.closed[index]) await wire.call(session, OpCode.sync, 'sync', '/', (w) => w.string('/'), wire.readPath);
    }
    const tree: unknown[] = [];
    await this.dump(this.options.root, tree);
    return { events: this.events.map((log) => [...log]), tree, zxidOrder: this.normaliser.takeZxidOrder() };
  }

  /** Closes every session; one whose server does not answer closeSession in time is dropped. */
  async close(): Promise<void> {
    await Promise.all(
      this.sessions.map(async (session) => {
        const timer = setTimeout(() => session.dropConnection(), CLOSE_TIMEOUT_MS);
        await session.close();
        clearTimeout(timer);
      }),
    );
  }

  private async dump(path: string, into: unknown[]): Promise<void> {
    const session = this.sessions[0]!;
    const data = await wire.call(session, OpCode.getData, 'getData', path, (w) => w.string(path).boolean(false), wire.readData);
    const acl = await wire.call(session, OpCode.getACL, 'getACL', path, (w) => w.string(path), wire.readAclAndStat);
    const children = await wire.call(session, OpCode.getChildren2, 'getChildren2', path, (w) => w.string(path).boolean(false), wire.readChildrenAndStat);
    into.push({ path: this.normaliser.path(path), data: this.normaliseData(data), acl: this.normaliseAcl(acl), children: this.normaliseChildren(children) });
    if ('ok' in children) for (const child of [...children.ok.children].sort()) await this.dump(`${path}/${child}`, into);
  }

  private absolute(relative: string): string {
    if (relative === LAST_CREATED) return this.lastCreated ?? `${this.options.root}/never-created`;
    return relative === '' ? this.options.root : `${this.options.root}/${relative}`;
  }

  private version(path: string, choice: VersionChoice, field: 'version' | 'aversion'): number {
    const known = this.known.get(path)?.[field] ?? 0;
    if (choice === 'any') return -1;
    if (choice === 'known') return known;
    if (choice === 'wrong') return known + 1;
    return choice;
  }

  private remember(path: string, stat: Stat): NormalisedStat {
    this.known.set(path, { version: stat.version, aversion: stat.aversion });
    return this.normaliser.stat(stat);
  }

  private normaliseData(answer: wire.Answer<{ data: Buffer; stat: Stat }>): unknown {
    return 'err' in answer ? answer : { data: describeData(answer.ok.data), stat: this.normaliser.stat(answer.ok.stat) };
  }

  private normaliseAcl(answer: wire.Answer<{ acl: ACL[]; stat: Stat }>): unknown {
    return 'err' in answer ? answer : { acl: this.normaliser.acl(answer.ok.acl), stat: this.normaliser.stat(answer.ok.stat) };
  }

  private normaliseChildren(answer: wire.Answer<{ children: string[]; stat: Stat }>): unknown {
    return 'err' in answer ? answer : { children: [...answer.ok.children].sort(), stat: this.normaliser.stat(answer.ok.stat) };
  }

  private async execute(session: ZooKeeperClient, operation: Operation): Promise<unknown> {
    const { root } = this.options;
    switch (operation.op) {
      case 'create':
      case 'delete':
      case 'setData':
            return this.executeWrite(session, operation);
      case 'multi':
        return this.executeMulti(session, operation.steps);
      case 'exists': {
        const path = this.absolute(operation.path);
        const answer = await wire.call(session, OpCode.exists, 'exists', path, (w) => w.string(path).boolean(operation.watch), (r) => wire.readStatOnly(r));
        return 'err' in answer ? answer : { stat: this.remember(path, answer.ok) };
      }
      case 'getData': {
        const path = this.absolute(operation.path);
        const answer = await wire.call(session, OpCode.getData, 'getData', path, (w) => w.string(path).boolean(operation.watch), wire.readData);
        if ('ok' in answer) this.remember(path, answer.ok.stat);
        return this.normaliseData(answer);
      }
      case 'getChildren': {
        const path = this.absolute(operation.path);
        if (operation.withStat) return this.normaliseChildren(await wire.call(session, OpCode.getChildren2, 'getChildren2', path, (w) => w.string(path).boolean(operation.watch), wire.readChildrenAndStat));
        const answer = await wire.call(session, OpCode.getChildren, 'getChildren', path, (w) => w.string(path).boolean(operation.watch), wire.readChildren);
        return 'err' in answer ? answer : { children: [...answer.ok].sort() };
      }
      case 'getACL': {
        const path = this.absolute(operation.path);
        const answer = await wire.call(session, OpCode.getACL, 'getACL', path, (w) => w.string(path), wire.readAclAndStat);
        if ('ok' in answer) this.remember(path, answer.ok.stat);
        return this.normaliseAcl(answer);
      }
      case 'setACL': {
        const path = this.absolute(operation.path);
        const version = this.version(path, operation.version, 'aversion');
        const answer = await wire.call(session, OpCode.setACL, 'setACL', path, (w) => wire.writeSetAcl(w, path, resolveAcl(operation.acl), version), wire.readStatOnly);
        return 'err' in answer ? answer : { stat: this.remember(path, answer.ok) };
      }
      case 'multiRead': {
        const steps = operation.steps.map((step) => ({ op: step.op, path: this.absolute(step.path) }));
        const answer = await wire.call(session, OpCode.multiRead, 'multiRead', undefined, (w) => wire.writeMultiRead(w, steps), wire.readMultiResults);
        return 'err' in answer ? answer : { results: answer.ok.map((result) => this.normaliseStep(result)) };
      }
      case 'sync':
      case 'getAllChildrenNumber': {
        const path = this.absolute(operation.path);
        if (operation.op === 'sync') {
          const answer = await wire.call(session, OpCode.sync, 'sync', path, (w) => w.string(path), wire.readPath);
          return 'err' in answer ? answer : { path: this.normaliser.path(answer.ok) };
        }
        return wire.call(session, OpCode.getAllChildrenNumber, 'getAllChildrenNumber', path, (w) => w.string(path), (r) => r.int('totalNumber'));
      }
      case 'getEphemerals': {
        const answer = await wire.call(session, OpCode.getEphemerals, 'getEphemerals', root, (w) => w.string(root), (r) => r.vector('ephemerals', (v) => v.string('path')));
        return 'err' in answer ? answer : { ephemerals: answer.ok.map((path) => this.normaliser.path(path)).sort() };
      }
      case 'addWatch':
      case 'removeWatches': {
        const path = this.absolute(operation.path);
        // ZooKeeper answers addWatch with an ErrorResponse(0) body and removeWatches with none.
        if (operation.op === 'addWatch') return wire.call(session, OpCode.addWatch, 'addWatch', path, (w) => w.string(path).int(operation.recursive ? 1 : 0), (r) => r.int('ErrorResponse.err'));
        return wire.call(session, OpCode.removeWatches, 'removeWatches', path, (w) => w.string(path).int(operation.watcherType), wire.readNothing);
      }
      case 'addAuth':
        return session.addAuth('digest', USERS[operation.user]).then(
          () => ({ ok: null }),
          (error: Error) => ({ err: error.message }),
        );
      case 'close':
        this.closed[operation.session] = true;
        await session.close();
        return { ok: 'closed' };
    }
  }

  private resolveStep(step: MultiStep): wire.WriteStepRequest {
    const path = this.absolute(step.path);
    if (step.op === 'create') return { op: 'create', path, data: DATA[step.data], acl: resolveAcl(step.acl), mode: step.mode, withStat: step.withStat };
    if (step.op === 'setData') return { op: 'setData', path, data: DATA[step.data], version: this.version(path, step.version, 'version') };
    return { op: step.op, path, version: this.version(path, step.version, 'version') };
  }

  private async executeWrite(session: ZooKeeperClient, step: MultiStep): Promise<unknown> {
    const request = this.resolveStep(step);
    const { path } = request;
    if (request.op === 'create') {
      const answer = request.withStat
        ? await wire.call(session, OpCode.create2, 'create2', path, (w) => wire.writeCreate(w, request), wire.readPathAndStat)
        : await wire.call(session, OpCode.create, 'create', path, (w) => wire.writeCreate(w, request), (r) => ({ path: wire.readPath(r) }));
      if ('err' in answer) return answer;
      return this.normaliseStep({ op: 'create', ...answer.ok });
    }
    if (request.op === 'setData') {
      const answer = await wire.call(session, OpCode.setData, 'setData', path, (w) => w.string(path).buffer_(request.data).int(request.version), wire.readStatOnly);
      return 'err' in answer ? answer : { stat: this.remember(path, answer.ok) };
    }
    const type = request.op === 'delete' ? OpCode.delete : OpCode.check;
    const answer = await wire.call(session, type, request.op, path, (w) => w.string(path).int(request.version), wire.readNothing);
    if ('ok' in answer && request.op === 'delete') this.known.delete(path);
    return answer;
  }

  private async executeMulti(session: ZooKeeperClient, steps: MultiStep[]): Promise<unknown> {
    const requests = steps.map((step) => this.resolveStep(step));
    const answer = await wire.call(session, OpCode.multi, 'multi', undefined, (w) => wire.writeMulti(w, requests), wire.readMultiResults);
    if ('err' in answer) return answer;
    const committed = answer.ok.every((result) => result.op !== 'error');
    return {
      results: answer.ok.map((result, index) => {
        const path = requests[index]?.path;
        if (committed && result.op === 'delete' && path !== undefined) this.known.delete(path);
        if (committed && result.op === 'setData' && path !== undefined) return { setData: this.remember(path, result.stat) };
        return this.normaliseStep(result);
      }),
    };
  }

  private normaliseStep(result: wire.StepResult): unknown {
    switch (result.op) {
      case 'create':
        this.lastCreated = result.path;
        this.known.set(result.path, { version: 0, aversion: 0 });
        return { create: this.normaliser.path(result.path), ...(result.stat ? { stat: this.normaliser.stat(result.stat) } : {}) };
      case 'setData':
        return { setData: this.normaliser.stat(result.stat) };
      case 'getData':
        return { data: describeData(result.data), stat: this.normaliser.stat(result.stat) };
      case 'getChildren':
        return { children: [...result.children].sort() };
      case 'error':
        return { err: result.err };
      default:
        return result.op;
    }
  }
}
