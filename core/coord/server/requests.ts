/** Decoded client requests: what the request processor works on, independent of the wire. */
import type { ACL } from '../tree/index.js';

export type CreateVariant = 'create' | 'create2' | 'createContainer' | 'createTTL';

export type ClientRequest =
  | { op: 'create'; variant: CreateVariant; path: string; data: Buffer; acl: ACL[]; mode: number; ttlMs?: number }
  | { op: 'delete'; path: string; version: number }
  | { op: 'exists'; path: string; watch: boolean }
  | { op: 'getData'; path: string; watch: boolean }
  | { op: 'setData'; path: string; data: Buffer; version: number }
  | { op: 'getACL'; path: string }
  | { op: 'setACL'; path: string; acl: ACL[]; version: number }
  | { op: 'getChildren'; path: string; watch: boolean; withStat: boolean }
  | { op: 'check'; path: string; version: number }
  | { op: 'sync'; path: string }
  | { op: 'ping' }
  | { op: 'closeSession' }
  | { op: 'multi'; ops: ClientRequest[] }
  | { op: 'multiRead'; ops: ClientRequest[] }
  | { op: 'auth'; scheme: string; auth: Buffer }
  | { op: 'setWatches'; relativeZxid: bigint; data: string[]; exist: string[]; child: string[]; persistent: string[]; persistentRecursive: string[] }
  | { op: 'addWatch'; path: string; mode: number }
  | { op: 'removeWatches'; path: string; watcherType: number; check: boolean }
  | { op: 'getEphemerals'; prefixPath: string }
  | { op: 'getAllChildrenNumber'; path: string }
  | { op: 'whoAmI' };

export type WriteRequest = Extract<ClientRequest, { op: 'create' | 'delete' | 'setData' | 'setACL' | 'check' | 'multi' | 'sync' | 'closeSession' }>;
