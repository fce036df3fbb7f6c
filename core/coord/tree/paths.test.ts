import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '../zookeeper-constants.js';
import { childNameOf, parentPathOf, validatePath } from './paths.js';

describe('znode path validation (PathUtils.validatePath)', () => {
  it('accepts the root and ordinary paths', () => {
    for (const path of ['/', '/a', '/a/b', '/a-b_c', '/a.b', '/.a', '/...', '/a/..b', '/ünïcode', '/\u00a0', '/\uf900']) {
      expect(validatePath(path)).toBe(ErrorCode.OK);
    }
  });

  it('rejects empty paths, relative paths and trailing slashes', () => {
    for (const path of ['', 'a', 'a/b', '/a/', '/a/b/']) expect(validatePath(path)).toBe(ErrorCode.BADARGUMENTS);
  });

  it('rejects empty segments and "." or ".." segments', () => {
    for (const path of ['//', '/a//b', '/.', '/..', '/a/./b', '/a/../b', '/a/.', '/a/..']) {
      expect(validatePath(path)).toBe(ErrorCode.BADARGUMENTS);
    }
  });

  it('rejects NUL, control characters, C1 controls, surrogates, the private use area and specials', () => {
    for (const char of ['\u0000', '\u0001', '\u001f', '\u007f', '\u009f', '\ud800', '\udfff', '\ue000', '\uf8ff', '\ufff0', '\uffff']) {
      expect(validatePath(`/a${char}b`)).toBe(ErrorCode.BADARGUMENTS);
    }
    expect(validatePath('/emoji-\u{1F600}')).toBe(ErrorCode.BADARGUMENTS);
  });

  it('validates sequential prefixes with a "1" appended, so a trailing slash is allowed', () => {
    expect(validatePath('/queue/', true)).toBe(ErrorCode.OK);
    expect(validatePath('/queue/')).toBe(ErrorCode.BADARGUMENTS);
    expect(validatePath('/queue//', true)).toBe(ErrorCode.BADARGUMENTS);
  });

  it('splits a path at its last slash, giving "" for children of the root', () => {
    expect(parentPathOf('/a')).toBe('');
    expect(parentPathOf('/a/b/c')).toBe('/a/b');
    expect(childNameOf('/a/b/c')).toBe('c');
  });
});
