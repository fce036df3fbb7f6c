/**
 * Where views live in the keyspace. Every key of view `v` starts with `barista:view:v:`, so views
 * sit beside ordinary Redis keys without colliding with them (unless a client writes under that
 * prefix on purpose), and a SCAN can tell which view and which part a key belongs to:
 *
 *   barista:view:<v>:definition        the view's monoid and bucket (catalog.ts)
 *   barista:view:<v>:pointer           the live batch version and its cut-offs (pointer.ts)
 *   barista:view:<v>:b:<version>:<key> batch value of <key> in that version (immutable)
 *   barista:view:<v>:r:<key>           realtime record of <key>: deltas after the cut-offs
 *
 * The user's key is always last, so it may hold any bytes (':' included) without escaping; view
 * names may not hold ':'.
 */
import { InvalidViewArgumentError } from './errors.js';
import { MAX_VIEW_KEY_BYTES, MAX_VIEW_NAME_CHARS } from './limits.js';

const ROOT = 'barista:view:';
const VIEW_NAME = new RegExp(`^[A-Za-z0-9_.\\-]{1,${MAX_VIEW_NAME_CHARS}}$`);
const VERSION = /^(0|[1-9][0-9]{0,15})$/;

/** The name, checked: letters, digits, `_`, `.`, `-`. */
export function checkViewName(view: string): string {
  if (typeof view !== 'string' || !VIEW_NAME.test(view)) throw new InvalidViewArgumentError('name', view, `1 to ${MAX_VIEW_NAME_CHARS} letters, digits, '_', '.' or '-'`);
  return view;
}

/** A view key as bytes (strings are UTF-8), checked against MAX_VIEW_KEY_BYTES. */
export function viewKeyBytes(key: Buffer | string): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key) : key;
  if (!Buffer.isBuffer(bytes) || bytes.length > MAX_VIEW_KEY_BYTES) throw new InvalidViewArgumentError('key', typeof key === 'string' ? key.slice(0, 50) : `${bytes?.length} bytes`, `at most ${MAX_VIEW_KEY_BYTES} bytes`);
  return bytes;
}

const keyOf = (text: string, key?: Buffer) => (key === undefined ? Buffer.from(text, 'latin1') : Buffer.concat([Buffer.from(text, 'latin1'), key]));

export const definitionKey = (view: string): Buffer => keyOf(`${ROOT}${view}:definition`);
export const pointerKey = (view: string): Buffer => keyOf(`${ROOT}${view}:pointer`);
export const batchKey = (view: string, version: number, key: Buffer): Buffer => keyOf(`${ROOT}${view}:b:${version}:`, key);
export const realtimeKey = (view: string, key: Buffer): Buffer => keyOf(`${ROOT}${view}:r:`, key);

/** A keyspace key of one view's data, as a SCAN finds it. */
export type ViewDataKey = { kind: 'batch'; version: number; key: Buffer } | { kind: 'realtime'; key: Buffer };

/** What a keyspace key is to view `view`: one of its batch or realtime keys, or undefined. */
export function parseViewDataKey(view: string, keyspaceKey: Buffer): ViewDataKey | undefined {
  const prefix = `${ROOT}${view}:`;
  if (keyspaceKey.length < prefix.length + 2 || keyspaceKey.toString('latin1', 0, prefix.length) !== prefix) return undefined;
  const section = keyspaceKey.toString('latin1', prefix.length, prefix.length + 2);
  const rest = prefix.length + 2;
  if (section === 'r:') return { kind: 'realtime', key: keyspaceKey.subarray(rest) };
  if (section !== 'b:') return undefined;
  const colon = keyspaceKey.indexOf(':', rest);
  const version = colon < 0 ? '' : keyspaceKey.toString('latin1', rest, colon);
  if (!VERSION.test(version) || !Number.isSafeInteger(Number(version))) return undefined;
  return { kind: 'batch', version: Number(version), key: keyspaceKey.subarray(colon + 1) };
}

/** A keyspace key as text for error messages. */
export function printable(key: Buffer): string {
  return key.toString('latin1');
}
