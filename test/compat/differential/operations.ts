/**
 * Operation sequences for the differential test. An operation names its choices (paths relative
 * to the sequence root, payload names, ACL names, version choices); each server run resolves them
 * the same way, so both servers receive byte-identical requests as long as they have agreed so far.
 */
import type { AclChoice, DataChoice, UserName } from './vocabulary.js';

/** 'any' is -1; 'known' the version this server last reported for the path; 'wrong' known + 1. */
export type VersionChoice = 'any' | 'known' | 'wrong' | 0;

export type MultiStep =
  | { op: 'create'; path: string; data: DataChoice; acl: AclChoice; mode: number; withStat: boolean }
  | { op: 'delete'; path: string; version: VersionChoice }
  | { op: 'setData'; path: string; data: DataChoice; version: VersionChoice }
  | { op: 'check'; path: string; version: VersionChoice };

export type ReadStep = { op: 'getData' | 'getChildren'; path: string };

/** What an operation does, without who does it. */
export type Action =
  | Exclude<MultiStep, { op: 'check' }>
  | { op: 'exists' | 'getData'; path: string; watch: boolean }
  | { op: 'getChildren'; path: string; watch: boolean; withStat: boolean }
  | { op: 'getACL' | 'getAllChildrenNumber' | 'sync'; path: string }
  | { op: 'setACL'; path: string; acl: AclChoice; version: VersionChoice }
  | { op: 'multi'; steps: MultiStep[] }
  | { op: 'multiRead'; steps: ReadStep[] }
  | { op: 'addAuth'; user: UserName }
  | { op: 'getEphemerals' }
  | { op: 'addWatch'; path: string; recursive: boolean }
  | { op: 'removeWatches'; path: string; watcherType: number }
  | { op: 'close' };

export type Operation = { session: number } & Action;

export interface Sequence {
  seed: number;
  /** Credentials each session adds right after connecting. */
  initialAuth: UserName[][];
  operations: Operation[];
}

export const SESSIONS = 3;


/**
 * Divergences from ZooKeeper 3.8 already reported to the lead, which sequences avoid unless
 * DIFF_KNOWN_DIVERGENCES=1 (so that a run finds new ones instead of the same ones again).
 */
export const INCLUDE_KNOWN_DIVERGENCES = process.env.DIFF_KNOWN_DIVERGENCES === '1';
