/**
 * Znode path rules, exactly PathUtils.validatePath of ZooKeeper 3.8, plus the parent/child split
 * the server uses (everything before the last '/'; the root's parent is "", an alias of "/").
 */
import { ErrorCode } from '../zookeeper-constants.js';

/** 0 when `path` is a valid znode path, else ErrorCode.BADARGUMENTS. Sequential creates validate
 * `path + "1"`, so "/queue/" is a valid sequential prefix. */
export function validatePath(path: string, sequential = false): number {
  return pathProblem(sequential ? path + '1' : path) === null ? ErrorCode.OK : ErrorCode.BADARGUMENTS;
}

/** Why `path` is invalid (for logs and tests), or null when it is valid. */
export function pathProblem(path: string): string | null {
  if (path.length === 0) return 'path is empty';
  if (path[0] !== '/') return 'path must start with /';
  if (path.length === 1) return null;
  if (path[path.length - 1] === '/') return 'path must not end with /';
  for (let i = 1; i < path.length; i++) {
    const problem = characterProblem(path, i);
    if (problem !== null) return `${problem} at index ${i}`;
  }
  return null;
}

function characterProblem(path: string, i: number): string | null {
  const c = path.charCodeAt(i);
  const previous = path.charCodeAt(i - 1);
  const segmentEndsHere = i + 1 === path.length || path[i + 1] === '/';
  const SLASH = 0x2f;
  const DOT = 0x2e;
  if (c === 0) return 'null character';
  if (c === SLASH && previous === SLASH) return 'empty node name';
  if (c === DOT && previous === DOT) return path.charCodeAt(i - 2) === SLASH && segmentEndsHere ? 'relative path (..)' : null;
  if (c === DOT) return previous === SLASH && segmentEndsHere ? 'relative path (.)' : null;
  if ((c > 0 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0) return 'invalid character';
  return null;
}

/** Everything before the last '/': "" for children of the root (ZooKeeper keeps "" as the root's alias). */
export function parentPathOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

export function childNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The path of `child` under `parent`, where the root's children get "/name". */
export function joinPath(parent: string, child: string): string {
  return parent === '/' || parent === '' ? `/${child}` : `${parent}/${child}`;
}

/** Where watch events about a node's children are reported: "" (the root's alias) becomes "/". */
export function watchPathOf(path: string): string {
  return path === '' ? '/' : path;
}
