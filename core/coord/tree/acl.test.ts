import { describe, expect, it } from '@jest/globals';
import { ErrorCode, Perms } from '../zookeeper-constants.js';
import { authIdsForAddAuth, checkAcl, digestId, fixupAcl, ipMatches, redactAcl } from './acl.js';
import type { ACL, Id } from './types.js';

const world = (perms: number): ACL => ({ perms, id: { scheme: 'world', id: 'anyone' } });
const entry = (perms: number, scheme: string, id: string): ACL => ({ perms, id: { scheme, id } });

describe('digest ids', () => {
  it('hashes "user:password" with SHA-1 and base64, prefixed by the user', () => {
    expect(digestId('super', 'test')).toBe('super:D/InIHSb7yEEbrWz8b9l71RjZJU=');
  });

  it('turns addauth digest credentials into the same id', () => {
    expect(authIdsForAddAuth('digest', Buffer.from('super:test'))).toEqual({ scheme: 'digest', id: 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=' });
  });

  it('accepts credentials without a colon, hashing the whole string like ZooKeeper', () => {
    const id = authIdsForAddAuth('digest', Buffer.from('bob'));
    expect(id).toMatchObject({ scheme: 'digest' });
    expect((id as Id).id.startsWith('bob:')).toBe(true);
  });

  it('answers ip with the remote address and unknown schemes with AUTHFAILED', () => {
    expect(authIdsForAddAuth('ip', Buffer.alloc(0), { remoteAddress: '10.0.0.1' })).toEqual({ scheme: 'ip', id: '10.0.0.1' });
    expect(authIdsForAddAuth('kerberos', Buffer.from('x'))).toEqual({ err: ErrorCode.AUTHFAILED });
  });
});

describe('permission checks (ZooKeeperServer.checkACL)', () => {
  const bob: Id = { scheme: 'digest', id: digestId('bob', 'secret') };

  it('treats an empty ACL as open and world:anyone as everyone', () => {
    expect(checkAcl([], Perms.ADMIN, [])).toBe(true);
    expect(checkAcl([world(Perms.READ)], Perms.READ, [])).toBe(true);
  });

  it('grants only the requested permission bits', () => {
    expect(checkAcl([world(Perms.READ)], Perms.WRITE, [])).toBe(false);
    expect(checkAcl([world(Perms.READ)], Perms.READ | Perms.ADMIN, [])).toBe(true);
  });

  it('matches digest ids exactly', () => {
    const acl = [entry(Perms.ALL, 'digest', bob.id)];
    expect(checkAcl(acl, Perms.READ, [bob])).toBe(true);
    expect(checkAcl(acl, Perms.READ, [{ scheme: 'digest', id: digestId('bob', 'wrong') }])).toBe(false);
    expect(checkAcl(acl, Perms.READ, [{ scheme: 'ip', id: bob.id }])).toBe(false);
  });

  it('matches ip addresses exactly or by CIDR bits', () => {
    expect(ipMatches('10.1.2.3', '10.1.2.3')).toBe(true);
    expect(ipMatches('10.1.2.3', '10.0.0.0/8')).toBe(true);
    expect(ipMatches('11.1.2.3', '10.0.0.0/8')).toBe(false);
    expect(ipMatches('192.168.1.77', '192.168.1.64/26')).toBe(true);
    expect(ipMatches('192.168.1.128', '192.168.1.64/26')).toBe(false);
    expect(ipMatches('1.2.3.4', '0.0.0.0/0')).toBe(true);
    expect(ipMatches('1.2.3.4', '1.2.3.4/33')).toBe(false);
    expect(ipMatches('::1', '1.2.3.4')).toBe(false);
    expect(checkAcl([entry(Perms.READ, 'ip', '127.0.0.0/8')], Perms.READ, [{ scheme: 'ip', id: '127.0.0.1' }])).toBe(true);
  });

  it('lets a super id through everything', () => {
    expect(checkAcl([entry(Perms.READ, 'digest', bob.id)], Perms.ADMIN, [{ scheme: 'super', id: '' }])).toBe(true);
  });
});

describe('ACL validation and expansion (fixupACL)', () => {
  const bob: Id = { scheme: 'digest', id: digestId('bob', 'secret') };
  const ip: Id = { scheme: 'ip', id: '127.0.0.1' };

  it('refuses an empty list', () => {
    expect(fixupAcl([], [bob])).toEqual({ err: ErrorCode.INVALIDACL });
  });

  it('refuses unknown schemes and world ids other than anyone', () => {
    expect(fixupAcl([entry(Perms.ALL, 'sasl', 'bob')], [])).toEqual({ err: ErrorCode.INVALIDACL });
    expect(fixupAcl([entry(Perms.ALL, 'world', 'someone')], [])).toEqual({ err: ErrorCode.INVALIDACL });
    expect(fixupAcl([entry(Perms.ALL, 'super', '')], [])).toEqual({ err: ErrorCode.INVALIDACL });
  });

  it('refuses malformed digest ids (Java split on ":" must give exactly two parts)', () => {
    for (const id of ['bob', 'a:b:c', 'bob:', '']) expect(fixupAcl([entry(Perms.ALL, 'digest', id)], [])).toEqual({ err: ErrorCode.INVALIDACL });
    expect(fixupAcl([entry(Perms.ALL, 'digest', 'a:b:')], [])).toEqual([entry(Perms.ALL, 'digest', 'a:b:')]);
    expect(fixupAcl([entry(Perms.ALL, 'digest', ':hash')], [])).toEqual([entry(Perms.ALL, 'digest', ':hash')]);
  });

  it('refuses malformed ip ids', () => {
    for (const id of ['1.2.3', '1.2.3.256', 'a.b.c.d', '1.2.3.4/33', '1.2.3.4/x', '::1']) {
      expect(fixupAcl([entry(Perms.ALL, 'ip', id)], [])).toEqual({ err: ErrorCode.INVALIDACL });
    }
    expect(fixupAcl([entry(Perms.ALL, 'ip', '10.0.0.0/8')], [])).toEqual([entry(Perms.ALL, 'ip', '10.0.0.0/8')]);
  });

  it('expands auth into one entry per authenticated id, skipping ip ids', () => {
    const alice: Id = { scheme: 'digest', id: digestId('alice', 'pw') };
    expect(fixupAcl([entry(Perms.READ, 'auth', '')], [ip, bob, alice])).toEqual([entry(Perms.READ, 'digest', bob.id), entry(Perms.READ, 'digest', alice.id)]);
  });

  it('refuses auth when the session has no authenticated id', () => {
    expect(fixupAcl([entry(Perms.ALL, 'auth', '')], [ip])).toEqual({ err: ErrorCode.INVALIDACL });
  });

  it('drops exact duplicates but keeps world:anyone as given', () => {
    expect(fixupAcl([world(Perms.ALL), world(Perms.ALL), world(Perms.READ)], [])).toEqual([world(Perms.ALL), world(Perms.READ)]);
  });

  it('masks digest hashes for readers without ADMIN', () => {
    expect(redactAcl([entry(Perms.READ, 'digest', bob.id), world(Perms.READ)])).toEqual([entry(Perms.READ, 'digest', 'bob:x'), world(Perms.READ)]);
  });
});
