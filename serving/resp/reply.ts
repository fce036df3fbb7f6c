/**
 * Replies as values. Command handlers return these; the connection encodes them in the client's
 * protocol (RESP2, or RESP3 after HELLO 3) when their turn to be written comes. RESP3-only types
 * (map, set, verbatim, null) have the RESP2 fallbacks Redis uses: flat array, array, bulk, $-1.
 *
 * Simple-string and error texts are byte strings (one char per byte, latin1), so that argument
 * bytes a client sent can be echoed back unchanged, as Redis does.
 */
import type { CommandError } from './errors.js';

export type Reply =
  | { readonly type: 'simple'; readonly text: string }
  /** `text` starts with the error code: "ERR syntax error", "NOPROTO unsupported protocol version". */
  | { readonly type: 'error'; readonly text: string }
  | { readonly type: 'integer'; readonly value: number | bigint }
  | { readonly type: 'bulk'; readonly value: Buffer }
  /** RESP2 `$-1`, RESP3 `_`. */
  | { readonly type: 'null' }
  /** RESP2 `*-1`, RESP3 `_`. */
  | { readonly type: 'nullArray' }
  | { readonly type: 'array'; readonly items: readonly Reply[] }
  | { readonly type: 'map'; readonly entries: ReadonlyArray<readonly [Reply, Reply]> }
  | { readonly type: 'set'; readonly items: readonly Reply[] }
  /** RESP3 `=` with a three-letter format ("txt"); a plain bulk string in RESP2. */
  | { readonly type: 'verbatim'; readonly format: string; readonly text: Buffer };

export type Protocol = 2 | 3;

export const simple = (text: string): Reply => ({ type: 'simple', text });
export const errorReply = (text: string): Reply => ({ type: 'error', text });
export const integer = (value: number | bigint): Reply => ({ type: 'integer', value });
export const bulk = (value: Buffer | string): Reply => ({ type: 'bulk', value: typeof value === 'string' ? Buffer.from(value) : value });
export const array = (items: readonly Reply[]): Reply => ({ type: 'array', items });
export const map = (entries: ReadonlyArray<readonly [Reply, Reply]>): Reply => ({ type: 'map', entries });
export const set = (items: readonly Reply[]): Reply => ({ type: 'set', items });
export const verbatim = (text: string, format = 'txt'): Reply => ({ type: 'verbatim', format, text: Buffer.from(text) });

/** A bulk string, or null when absent. */
export const bulkOrNull = (value: Buffer | undefined): Reply => (value === undefined ? NULL : bulk(value));

/** A map whose keys are bulk strings, from a plain object. */
export const mapOf = (fields: Record<string, Reply>): Reply => map(Object.entries(fields).map(([name, value]) => [bulk(name), value] as const));

/** The reply for a refused command. */
export const commandErrorReply = (error: CommandError): Reply => errorReply(`${error.errorCode} ${error.detail}`);

// Shared replies, like Redis's `shared` objects.
export const OK = simple('OK');
export const PONG = simple('PONG');
export const NULL: Reply = { type: 'null' };
export const NULL_ARRAY: Reply = { type: 'nullArray' };
export const ZERO = integer(0);
export const ONE = integer(1);
export const EMPTY_ARRAY = array([]);
export const SYNTAX_ERROR = errorReply('ERR syntax error');
