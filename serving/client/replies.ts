/**
 * Commands and reply checks shared by both server kinds: an Entry as SET arguments, SCAN pages,
 * and the checks that turn a reply of the wrong shape into ContractViolationError instead of a
 * wrong value.
 */
import type { Entry, ScanPage } from '../keyspace/keyspace.js';
import { ContractViolationError } from './errors.js';

/** SET arguments for an entry. PXAT must be positive, so an expiry at or before 1 ms is in the
 * past for any server clock: the caller deletes instead (the contract's "set of an expired entry"). */
export function setArguments(key: Buffer, entry: Entry): Array<Buffer | string> {
  return entry.expiresAtMs === undefined ? [key, entry.value] : [key, entry.value, 'PXAT', String(entry.expiresAtMs)];
}

export function isAlreadyExpired(entry: Entry): boolean {
  return entry.expiresAtMs !== undefined && entry.expiresAtMs < 1;
}

export function bufferReply(command: string, reply: unknown): Buffer | undefined {
  if (reply === null) return undefined;
  if (reply instanceof Buffer) return reply;
  throw new ContractViolationError(command, reply, 'a bulk string or nil');
}

export function integerReply(command: string, reply: unknown): number {
  if (typeof reply === 'number' && Number.isSafeInteger(reply)) return reply;
  throw new ContractViolationError(command, reply, 'an integer');
}

/** An expiry reply of BARISTA.*: Unix ms or nil for none. */
export function expiryReply(command: string, reply: unknown): number | undefined {
  if (reply === null) return undefined;
  const expiresAtMs = integerReply(command, reply);
  if (expiresAtMs < 1) throw new ContractViolationError(command, reply, 'a positive expiry in Unix ms or nil');
  return expiresAtMs;
}

export function entryOf(value: Buffer, expiresAtMs: number | undefined): Entry {
  return expiresAtMs === undefined ? { value } : { value, expiresAtMs };
}

/** A [value, expiry|nil] pair of BARISTA.GETENTRY and BARISTA.GETALL WITHEXPIRY. */
export function entryPairReply(command: string, reply: unknown): Entry {
  if (!Array.isArray(reply) || reply.length !== 2) throw new ContractViolationError(command, reply, 'a [value, expiry] pair');
  const value = bufferReply(command, reply[0]);
  if (value === undefined) throw new ContractViolationError(command, reply, 'a value in the pair');
  return entryOf(value, expiryReply(command, reply[1]));
}

export function scanPageReply(reply: unknown): ScanPage {
  if (!Array.isArray(reply) || reply.length !== 2 || !(reply[0] instanceof Buffer) || !Array.isArray(reply[1]) || !reply[1].every((key) => key instanceof Buffer)) {
    throw new ContractViolationError('SCAN', reply, 'a [cursor, keys] pair');
  }
  const cursor = reply[0].toString('latin1');
  if (!/^(0|[1-9][0-9]*)$/.test(cursor)) throw new ContractViolationError('SCAN', reply, 'a decimal cursor');
  return { cursor, keys: reply[1] as Buffer[] };
}
