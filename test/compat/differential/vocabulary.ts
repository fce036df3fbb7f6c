/**
 * The small world the differential test's operations range over: a handful of paths under a
 * per-sequence root (so creates, deletes and sequential names collide often), a few payloads,
 * digest users and ACLs that sometimes deny. Choices are names, resolved to bytes and ACLs here,
 * so that a failure report prints readable operations.
 */
import { createHash } from 'node:crypto';
import { Perms } from '../../../core/coord/zookeeper-constants.js';
import type { ACL } from '../../../core/coord/tree/types.js';

/** Paths relative to the sequence root ('' is the root itself). */
export const NODE_PATHS = ['', 'a', 'a', 'a/b', 'a/b', 'a/b/c', 'b', 'b', 'b/a', 'c', 'c/d', 'missing/x'] as const;
/** Prefixes for sequential creates; 'a/' is legal for sequential nodes only (the name is the counter). */
export const SEQUENTIAL_PREFIXES = ['s-', 'a/s-', 'a/', 'b/q'] as const;
/** Sometimes-invalid paths (trailing slash, empty segment), to compare argument checking. */
export const MALFORMED_PATHS = ['a/', 'a//b'] as const;
/** Resolved at run time to the last path some create returned on that server. */
export const LAST_CREATED = '$last';

export const DATA = { empty: Buffer.alloc(0), null: null, v1: Buffer.from('v1'), v2: Buffer.from('second value'), long: Buffer.alloc(300, 0x4c) } as const;
export type DataChoice = keyof typeof DATA;
export const DATA_CHOICES = Object.keys(DATA) as DataChoice[];

/** addAuth credentials: 'aliceWrong' is Alice's name with a wrong password, a different digest id. */
export const USERS = { alice: 'alice:secret', aliceWrong: 'alice:wrong', bob: 'bob:secret' } as const;
export type UserName = keyof typeof USERS;
export const USER_NAMES = Object.keys(USERS) as UserName[];

/** The digest id ZooKeeper derives from "user:password": user:base64(sha1(user:password)). */
export function digestId(credentials: string): string {
  const user = credentials.split(':')[0]!;
  return `${user}:${createHash('sha1').update(credentials).digest('base64')}`;
}

const world = (perms: number): ACL => ({ perms, id: { scheme: 'world', id: 'anyone' } });
const digest = (user: UserName, perms: number): ACL => ({ perms, id: { scheme: 'digest', id: digestId(USERS[user]) } });
const ip = (address: string, perms: number): ACL => ({ perms, id: { scheme: 'ip', id: address } });
const { READ, WRITE, CREATE, DELETE, ADMIN, ALL } = Perms;

export const ACLS = {
  open: [world(ALL)],
  aliceOnly: [digest('alice', ALL)],
  aliceAllWorldRead: [digest('alice', ALL), world(READ)],
  worldReadCreate: [world(READ | CREATE)],
  bobWriteWorldCreateDelete: [digest('bob', READ | WRITE), world(CREATE | DELETE)],
  worldAdminOnly: [world(ADMIN)],
  /** The creator's authenticated ids (INVALIDACL when the session has none). */
  creatorAll: [{ perms: ALL, id: { scheme: 'auth', id: '' } }],
  loopbackNoAdmin: [ip('127.0.0.1', READ | WRITE | CREATE | DELETE)],
  otherNetworkWorldRead: [ip('10.0.0.0/8', ALL), world(READ)],
  /** Invalid: an empty list, and a digest id without its hash. */
  empty: [],
  digestWithoutHash: [{ perms: ALL, id: { scheme: 'digest', id: 'alice' } }],
} as const satisfies Record<string, ACL[]>;
export type AclChoice = keyof typeof ACLS;

/** Open ACLs are the common case, so that trees grow; the others deny or are invalid now and then. */
export const ACL_WEIGHTS: Record<AclChoice, number> = {
  open: 14,
  aliceOnly: 2,
  aliceAllWorldRead: 2,
  worldReadCreate: 1,
  bobWriteWorldCreateDelete: 1,
  worldAdminOnly: 1,
  creatorAll: 1,
  loopbackNoAdmin: 1,
  otherNetworkWorldRead: 1,
  empty: 0.3,
  digestWithoutHash: 0.3,
};

export function resolveAcl(choice: AclChoice): ACL[] {
  return ACLS[choice].map((acl) => ({ perms: acl.perms, id: { ...acl.id } }));
}
