/**
 * Raw ZooKeeper requests for the differential test, written and read field by field so that
 * both servers receive exactly the same bytes and every field of every answer can be compared
 * (CoordClient hides some: create2 inside multi, per-op results of multiRead, ...).
 */
import { errorName, OpCode } from '../../../core/coord/zookeeper-constants.js';
import type { ACL, Stat } from '../../../core/coord/tree/types.js';
import { readACLs, readStat, writeACLs } from '../../../core/coord/server/records.js';
import type { JuteReader } from '../../../core/coord/server/jute/reader.js';
import type { JuteWriter } from '../../../core/coord/server/jute/writer.js';
import { ZooKeeperError } from '../../../core/coord/client/errors.js';
import type { ZooKeeperClient } from '../../../core/coord/client/zookeeper-client.js';

/** Either the decoded answer or the error the server (or the connection) reported. */
export type Answer<T> = { ok: T } | { err: string };

export async function call<T>(session: ZooKeeperClient, type: number, name: string, path: string | undefined, write: (w: JuteWriter) => void, read: (r: JuteReader) => T): Promise<Answer<T>> {
  let reply;
  try {
    reply = await session.request(type, name, path, write);
  } catch (error) {
    if (error instanceof ZooKeeperError) return { err: errorName(error.code) };
    return { err: `client error: ${(error as Error).message}` };
  }
  try {
    const value = read(reply.body);
    if (reply.body.remaining !== 0) return { err: `${reply.body.remaining} unread bytes after the ${name} answer` };
    return { ok: value };
  } catch (error) {
    return { err: `undecodable ${name} answer: ${(error as Error).message}` };
  }
}

export interface CreateRequest {
  path: string;
  data: Buffer | null;
  acl: ACL[];
  mode: number;
}

export function writeCreate(w: JuteWriter, request: CreateRequest): void {
  w.string(request.path).buffer_(request.data);
  writeACLs(w, request.acl);
  w.int(request.mode);
}

export const readNothing = (): null => null;
export const readPath = (r: JuteReader): string => r.string('path');
export const readPathAndStat = (r: JuteReader): { path: string; stat: Stat } => ({ path: r.string('path'), stat: readStat(r) });
export const readData = (r: JuteReader): { data: Buffer; stat: Stat } => ({ data: Buffer.from(r.buffer_('data')), stat: readStat(r) });
export const readChildren = (r: JuteReader): string[] => r.vector('children', (v) => v.string('child'));
export const readChildrenAndStat = (r: JuteReader): { children: string[]; stat: Stat } => ({ children: readChildren(r), stat: readStat(r) });
export const readAclAndStat = (r: JuteReader): { acl: ACL[]; stat: Stat } => ({ acl: readACLs(r), stat: readStat(r) });

export type WriteStepRequest =
  | ({ op: 'create'; withStat: boolean } & CreateRequest)
  | { op: 'delete' | 'check'; path: string; version: number }
  | { op: 'setData'; path: string; data: Buffer | null; version: number };

export type StepResult =
  | { op: 'create'; path: string; stat?: Stat }
  | { op: 'setData'; stat: Stat }
  | { op: 'delete' | 'check' }
  | { op: 'getData'; data: Buffer; stat: Stat }
  | { op: 'getChildren'; children: string[] }
  | { op: 'error'; err: string };

function writeMultiHeader(w: JuteWriter, type: number, done: boolean): void {
  w.int(type).boolean(done).int(-1);
}

export function writeMulti(w: JuteWriter, steps: WriteStepRequest[]): void {
  for (const step of steps) {
    if (step.op === 'create') {
      writeMultiHeader(w, step.withStat ? OpCode.create2 : OpCode.create, false);
      writeCreate(w, step);
    } else if (step.op === 'setData') {
      writeMultiHeader(w, OpCode.setData, false);
      w.string(step.path).buffer_(step.data).int(step.version);
    } else {
      writeMultiHeader(w, step.op === 'delete' ? OpCode.delete : OpCode.check, false);
      w.string(step.path).int(step.version);
    }
  }
  writeMultiHeader(w, -1, true);
}

export function writeMultiRead(w: JuteWriter, steps: Array<{ op: 'getData' | 'getChildren'; path: string }>): void {
  for (const step of steps) {
    writeMultiHeader(w, step.op === 'getData' ? OpCode.getData : OpCode.getChildren, false);
    w.string(step.path).boolean(false);
  }
  writeMultiHeader(w, -1, true);
}

/** A MultiResponse: one header per op, then a done header. */
export function readMultiResults(r: JuteReader): StepResult[] {
  const results: StepResult[] = [];
  for (;;) {
    const type = r.int('MultiHeader.type');
    const done = r.boolean('MultiHeader.done');
    r.int('MultiHeader.err');
    if (done) return results;
    if (type === OpCode.create) results.push({ op: 'create', path: readPath(r) });
    else if (type === OpCode.create2) results.push({ op: 'create', ...readPathAndStat(r) });
    else if (type === OpCode.setData) results.push({ op: 'setData', stat: readStat(r) });
    else if (type === OpCode.delete) results.push({ op: 'delete' });
    else if (type === OpCode.check) results.push({ op: 'check' });
    else if (type === OpCode.getData) results.push({ op: 'getData', ...readData(r) });
    else if (type === OpCode.getChildren) results.push({ op: 'getChildren', children: readChildren(r) });
    else if (type === OpCode.error) results.push({ op: 'error', err: errorName(r.int('ErrorResponse.err')) });
    else throw new RangeError(`unexpected MultiHeader.type ${type}`);
  }
}

export const readStatOnly = (r: JuteReader): Stat => readStat(r);

export function writeSetAcl(w: JuteWriter, path: string, acl: ACL[], version: number): void {
  w.string(path);
  writeACLs(w, acl);
  w.int(version);
}
