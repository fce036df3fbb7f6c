/**
 * ZooKeeper 3.8's access control, server side: ACL validation and expansion at create/setACL
 * (PrepRequestProcessor.fixupACL), permission checks (ZooKeeperServer.checkACL) with the default
 * providers only — "ip" (IPv4, optional CIDR bits) and "digest" — and the digest ids addauth yields.
 * Pure functions: the session's ids are passed in, nothing is remembered here.
 */
import { createHash } from 'node:crypto';
import { ErrorCode } from '../zookeeper-constants.js';
import type { ACL, FailureCode, Id } from './types.js';

/** The digest id of user:password: "user:" + base64(sha1("user:password")), as
 * DigestAuthenticationProvider.generateDigest. */
export function digestId(user: string, password: string): string {
  return digestOfIdPassword(`${user}:${password}`);
}

function digestOfIdPassword(idPassword: string): string {
  const user = idPassword.split(':', 1)[0] ?? '';
  return `${user}:${createHash('sha1').update(idPassword, 'utf8').digest('base64')}`;
}

export interface AddAuthOptions {
  /** The client's address; ZooKeeper's "ip" provider answers addauth with it. */
  remoteAddress?: string;
}

/** The id an addauth packet adds to a session: "digest" hashes "user:password" (any bytes are
 * accepted, as in ZooKeeper); "ip" yields the remote address; other schemes fail with AUTHFAILED. */
export function authIdsForAddAuth(scheme: string, auth: Buffer, options: AddAuthOptions = {}): Id | { err: FailureCode } {
  if (scheme === 'digest') return { scheme: 'digest', id: digestOfIdPassword(auth.toString('utf8')) };
  if (scheme === 'ip' && options.remoteAddress !== undefined) return { scheme: 'ip', id: options.remoteAddress };
  return { err: ErrorCode.AUTHFAILED };
}

/** Schemes with a server provider in a default ZooKeeper 3.8 (ProviderRegistry). */
const PROVIDER_SCHEMES = new Set(['ip', 'digest']);
/** Providers whose ids prove an identity (isAuthenticated()): only these expand the "auth" scheme. */
const AUTHENTICATED_SCHEMES = new Set(['digest']);

/** ZooKeeperServer.checkACL: true when `authIds` may use `perm` on a node with `acl`. An empty ACL
 * is open; a "super" id passes everything; an entry grants when it carries one of the requested
 * bits and its id matches one of the session's ids of the same scheme. */
export function checkAcl(acl: readonly ACL[], perm: number, authIds: readonly Id[]): boolean {
  if (acl.length === 0) return true;
  if (authIds.some((authId) => authId.scheme === 'super')) return true;
  for (const entry of acl) {
    if ((entry.perms & perm) === 0) continue;
    if (entry.id.scheme === 'world' && entry.id.id === 'anyone') return true;
    if (!PROVIDER_SCHEMES.has(entry.id.scheme)) continue;
    for (const authId of authIds) {
      if (authId.scheme === entry.id.scheme && idMatches(entry.id.scheme, authId.id, entry.id.id)) return true;
    }
  }
  return false;
}

function idMatches(scheme: string, sessionId: string, aclExpression: string): boolean {
  return scheme === 'digest' ? sessionId === aclExpression : ipMatches(sessionId, aclExpression);
}

/** PrepRequestProcessor.fixupACL: drops exact duplicates, refuses an empty list, unknown schemes and
 * malformed ids, and expands "auth" into one entry per authenticated id of the session. */
export function fixupAcl(acl: readonly ACL[], authIds: readonly Id[]): ACL[] | { err: FailureCode } {
  const unique = removeDuplicates(acl);
  if (unique.length === 0) return { err: ErrorCode.INVALIDACL };
  const fixed: ACL[] = [];
  for (const entry of unique) {
    const { scheme, id } = entry.id;
    if (scheme === 'world' && id === 'anyone') {
      fixed.push(copyAcl(entry));
    } else if (scheme === 'auth') {
      const authenticated = authIds.filter((authId) => AUTHENTICATED_SCHEMES.has(authId.scheme));
      if (authenticated.length === 0) return { err: ErrorCode.INVALIDACL };
      for (const authId of authenticated) fixed.push({ perms: entry.perms, id: { scheme: authId.scheme, id: authId.id } });
    } else if (isValidId(scheme, id)) {
      fixed.push(copyAcl(entry));
    } else {
      return { err: ErrorCode.INVALIDACL };
    }
  }
  return fixed;
}

function removeDuplicates(acl: readonly ACL[]): ACL[] {
  const unique: ACL[] = [];
  for (const entry of acl) if (!unique.some((seen) => sameAcl(seen, entry))) unique.push(entry);
  return unique;
}

function sameAcl(a: ACL, b: ACL): boolean {
  return a.perms === b.perms && a.id.scheme === b.id.scheme && a.id.id === b.id.id;
}

export function copyAcl(entry: ACL): ACL {
  return { perms: entry.perms, id: { scheme: entry.id.scheme, id: entry.id.id } };
}

function isValidId(scheme: string, id: string): boolean {
  if (scheme === 'digest') return javaSplit(id, ':').length === 2;
  if (scheme === 'ip') return parseIpExpression(id) !== null;
  return false;
}

/** What getACL shows a reader without ADMIN: digest hashes become "user:x" (ZooKeeper ≥ 3.6). */
export function redactAcl(acl: readonly ACL[]): ACL[] {
  return acl.map((entry) =>
    entry.id.scheme === 'digest' ? { perms: entry.perms, id: { scheme: 'digest', id: entry.id.id.replace(/:.*/g, ':x') } } : copyAcl(entry),
  );
}

/** Java's String.split(regex) for a literal separator: trailing empty strings are dropped. */
function javaSplit(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** IPAuthenticationProvider.matches: the session's IPv4 address against "a.b.c.d" or "a.b.c.d/bits". */
export function ipMatches(address: string, aclExpression: string): boolean {
  const expression = parseIpExpression(aclExpression);
  const remote = parseIpv4(address);
  if (expression === null || remote === null) return false;
  return maskIpv4(remote, expression.bits) === maskIpv4(expression.address, expression.bits);
}

function parseIpExpression(expression: string): { address: number; bits: number } | null {
  const slash = expression.indexOf('/');
  const address = parseIpv4(slash === -1 ? expression : expression.slice(0, slash));
  if (address === null) return null;
  if (slash === -1) return { address, bits: 32 };
  const bits = parseJavaInt(expression.slice(slash + 1));
  return bits === null || bits < 0 || bits > 32 ? null : { address, bits };
}

/** IPv4 only, like ZooKeeper 3.8's provider (its IPv6 parsing is a TODO there). */
function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let address = 0;
  for (const part of parts) {
    const octet = parseJavaInt(part);
    if (octet === null || octet < 0 || octet > 255) return null;
    address = address * 256 + octet;
  }
  return address;
}

function maskIpv4(address: number, bits: number): number {
  return bits === 0 ? 0 : Math.floor(address / 2 ** (32 - bits));
}

/** Integer.parseInt for ASCII input: optional sign, decimal digits, 32-bit range. */
function parseJavaInt(text: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 ? value : null;
}
