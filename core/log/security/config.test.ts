import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Authorizer } from './authorizer.js';
import { SecurityConfigError, securityFromFlags } from './config.js';

async function withFiles(files: Record<string, string>, body: (path: (name: string) => string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'security-config-'));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    await body((name) => join(dir, name));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('security flags and files', () => {
  it('without --sasl-users security is off', async () => {
    await expect(securityFromFlags({})).resolves.toBeUndefined();
  });

  it('maps users, ACLs, super users and the inter-broker user (its password from the users file)', async () => {
    await withFiles({ 'users.json': '{"broker":{"plain":"b"},"alice":{"scram":{"sha512":"a"}}}', 'acls.json': '[{"principal":"User:alice","resourceType":"topic","name":"t","operations":["read"]}]' }, async (path) => {
      const options = await securityFromFlags({ saslUsers: path('users.json'), acls: path('acls.json'), superUsers: 'root, ops', interBrokerUser: 'broker' });
      expect(options).toMatchObject({ superUsers: ['root', 'ops'], interBroker: { username: 'broker', password: 'b', mechanism: 'PLAIN' }, acls: [{ principal: 'User:alice' }] });
    });
  });

  it.each([
    ['not JSON', '{', '[]'],
    ['users not an object', '[]', '[]'],
    ['bad principal', '{}', '[{"principal":"alice","resourceType":"topic","name":"t","operations":["read"]}]'],
    ['bad operation', '{}', '[{"principal":"User:a","resourceType":"topic","name":"t","operations":["fly"]}]'],
  ])('rejects %s with SecurityConfigError', async (_, users, acls) => {
    await withFiles({ 'users.json': users, 'acls.json': acls }, async (path) => {
      await expect(securityFromFlags({ saslUsers: path('users.json'), acls: path('acls.json') })).rejects.toBeInstanceOf(SecurityConfigError);
    });
  });
});

describe('ACL decisions', () => {
  const authorizer = new Authorizer(
    [
      { principal: 'User:alice', resourceType: 'topic', name: 'orders-', patternType: 'prefixed', operations: ['write'] },
      { principal: 'User:*', resourceType: 'topic', name: 'public', operations: ['read'] },
      { principal: 'User:alice', resourceType: 'topic', name: 'orders-secret', operations: ['write'], permission: 'deny' },
    ],
    ['root'],
  );

  it('allows what a rule grants, with DESCRIBE implied by WRITE and READ', () => {
    expect(authorizer.allows('alice', 'write', 'topic', 'orders-eu')).toBe(true);
    expect(authorizer.allows('alice', 'describe', 'topic', 'orders-eu')).toBe(true);
    expect(authorizer.allows('bob', 'describe', 'topic', 'public')).toBe(true);
  });

  it('refuses what no rule grants, and deny wins over allow; super users pass every check', () => {
    expect(authorizer.allows('alice', 'read', 'topic', 'orders-eu')).toBe(false);
    expect(authorizer.allows('alice', 'create', 'topic', 'orders-eu')).toBe(false);
    expect(authorizer.allows('alice', 'write', 'topic', 'orders-secret')).toBe(false);
    expect(authorizer.allows('root', 'delete', 'topic', 'anything')).toBe(true);
  });

  it('allowsSome: an operation granted on at least one resource of the type, unless denied on every name', () => {
    expect(authorizer.allowsSome('alice', 'write', 'topic')).toBe(true);
    expect(authorizer.allowsSome('bob', 'write', 'topic')).toBe(false);
    expect(authorizer.allowsSome('bob', 'read', 'topic')).toBe(true);
    const denyingAll = new Authorizer(
      [
        { principal: 'User:alice', resourceType: 'topic', name: 'orders-', patternType: 'prefixed', operations: ['write'] },
        { principal: 'User:alice', resourceType: 'topic', name: '*', operations: ['all'], permission: 'deny' },
      ],
      [],
    );
    expect(denyingAll.allowsSome('alice', 'write', 'topic')).toBe(false);
  });
});
