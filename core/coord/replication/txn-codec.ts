/**
 * The payload of a Raft log entry: one write with who sent it and the leader's clock. JSON, with
 * bigints and buffers tagged, because entries must decode identically on every replica and in
 * every later version; a binary codec can replace it behind these two functions.
 */
import type { Id, WriteOp } from '../tree/index.js';
import { loggedWriteProblem } from './logged-write-checks.js';

export interface LoggedWrite {
  op: WriteOp;
  sessionId: bigint;
  authIds: Id[];
  timeMs: number;
}

export class TxnDecodeError extends Error {
  readonly code = 'TXN_DECODE';
  constructor(detail: string) {
    super(`log entry does not decode as a write: ${detail}`);
    this.name = 'TxnDecodeError';
  }
}

function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') return { $b: value.toString() };
  if (Buffer.isBuffer(value)) return { $x: value.toString('base64') };
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const plain: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) if (field !== undefined) plain[key] = toPlain(field);
    return plain;
  }
  return value;
}

function revive(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const tagged = value as { $b?: string; $x?: string };
    if (typeof tagged.$b === 'string') return BigInt(tagged.$b);
    if (typeof tagged.$x === 'string') return Buffer.from(tagged.$x, 'base64');
  }
  return value;
}

export function encodeLoggedWrite(write: LoggedWrite): Uint8Array {
  return Buffer.from(JSON.stringify(toPlain(write)));
}

export function decodeLoggedWrite(bytes: Uint8Array): LoggedWrite {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), revive);
  } catch (error) {
    throw new TxnDecodeError((error as Error).message);
  }
  // The bytes may come from any peer: a write the tree cannot apply must stop here, not in apply.
  const problem = loggedWriteProblem(parsed);
  if (problem !== null) throw new TxnDecodeError(`bad ${problem}`);
  return parsed as LoggedWrite;
}
