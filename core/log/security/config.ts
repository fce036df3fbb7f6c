/**
 * The broker's security settings (BrokerOptions.security) and the JSON files the CLI reads them
 * from. Security is opt-in: without these options the broker accepts every request, as before.
 *
 * Users file (`barista broker --sasl-users FILE`), one entry per user:
 *   {
 *     "alice": { "plain": "alice-secret" },
 *     "bob":   { "scram": { "sha256": "bob-secret", "sha512": "bob-secret" } },
 *     "carol": { "scram": { "sha512": { "salt": "<base64>", "iterations": 4096,
 *                                        "storedKey": "<base64>", "serverKey": "<base64>" } } }
 *   }
 * A SCRAM entry is a password (hashed at startup with a random salt) or a stored credential as
 * kafka-configs.sh would keep it. A user may have any mix of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512.
 *
 * ACL file (`--acls FILE`), a list of rules (Kafka's kafka-acls.sh model, simplified):
 *   [ { "principal": "User:alice", "resourceType": "topic", "name": "orders",
 *       "patternType": "literal", "operations": ["read", "describe"], "permission": "allow" } ]
 * principal: "User:<name>" or "User:*"; resourceType: topic | group | cluster; name: a resource
 * name or "*"; patternType: literal (default) or prefixed; operations: read, write, create,
 * delete, describe, alter, all; permission: allow (default) or deny. Deny wins over allow; READ,
 * WRITE, DELETE and ALTER imply DESCRIBE, as in Kafka. Nothing is allowed that no rule allows.
 */
import { readFile } from 'node:fs/promises';
import { scramCredential, type ScramCredential, type ScramMechanism } from './scram.js';

export type Operation = 'read' | 'write' | 'create' | 'delete' | 'describe' | 'alter' | 'all';
export type ResourceType = 'topic' | 'group' | 'cluster';

export interface AclRule {
  /** "User:<name>" or "User:*". */
  principal: string;
  resourceType: ResourceType;
  /** A resource name, or "*" for every resource of the type (cluster rules use "kafka-cluster" or "*"). */
  name: string;
  patternType?: 'literal' | 'prefixed';
  operations: Operation[];
  permission?: 'allow' | 'deny';
}

export type ScramSecret = string | { salt: string; iterations: number; storedKey: string; serverKey: string };

export interface UserSecrets {
  plain?: string;
  scram?: { sha256?: ScramSecret; sha512?: ScramSecret };
}

/** The client credential a broker's replica fetchers authenticate with. */
export interface InterBrokerCredential {
  username: string;
  password: string;
  /** Default PLAIN. */
  mechanism?: 'PLAIN' | ScramMechanism;
}

export interface SecurityOptions {
  users: Record<string, UserSecrets>;
  acls: AclRule[];
  /** Users every check allows (Kafka's super.users); the inter-broker user is always one. */
  superUsers?: string[];
  /** How this broker's followers authenticate to leaders; required for replication with security on. */
  interBroker?: InterBrokerCredential;
}

export class SecurityConfigError extends Error {
  constructor(readonly source: string, readonly problem: string) {
    super(`invalid security configuration in ${source}: ${problem}`);
    this.name = 'SecurityConfigError';
  }
}

const OPERATIONS: ReadonlySet<string> = new Set(['read', 'write', 'create', 'delete', 'describe', 'alter', 'all']);
const RESOURCE_TYPES: ReadonlySet<string> = new Set(['topic', 'group', 'cluster']);

/** Each user's stored credentials, computed once at startup. */
export interface UserCredentials {
  plain: Map<string, string>;
  scram: Map<ScramMechanism, Map<string, ScramCredential>>;
}

function storedCredential(mechanism: ScramMechanism, secret: ScramSecret): ScramCredential {
  if (typeof secret === 'string') return scramCredential(mechanism, secret);
  return { salt: Buffer.from(secret.salt, 'base64'), iterations: secret.iterations, storedKey: Buffer.from(secret.storedKey, 'base64'), serverKey: Buffer.from(secret.serverKey, 'base64') };
}

export function userCredentials(users: Record<string, UserSecrets>): UserCredentials {
  const result: UserCredentials = { plain: new Map(), scram: new Map([['SCRAM-SHA-256', new Map()], ['SCRAM-SHA-512', new Map()]]) };
  for (const [name, secrets] of Object.entries(users)) {
    if (secrets.plain !== undefined) result.plain.set(name, secrets.plain);
    if (secrets.scram?.sha256 !== undefined) result.scram.get('SCRAM-SHA-256')?.set(name, storedCredential('SCRAM-SHA-256', secrets.scram.sha256));
    if (secrets.scram?.sha512 !== undefined) result.scram.get('SCRAM-SHA-512')?.set(name, storedCredential('SCRAM-SHA-512', secrets.scram.sha512));
  }
  return result;
}

function validateUsers(users: unknown, source: string): Record<string, UserSecrets> {
  if (typeof users !== 'object' || users === null || Array.isArray(users)) throw new SecurityConfigError(source, 'expected an object of user name → secrets');
  for (const [name, secrets] of Object.entries(users as Record<string, unknown>)) {
    if (typeof secrets !== 'object' || secrets === null) throw new SecurityConfigError(source, `user "${name}": expected { plain?, scram? }`);
    const { plain, scram } = secrets as UserSecrets;
    if (plain !== undefined && typeof plain !== 'string') throw new SecurityConfigError(source, `user "${name}": plain must be a password string`);
    for (const secret of [scram?.sha256, scram?.sha512]) {
      if (secret === undefined || typeof secret === 'string') continue;
      if (typeof secret.salt !== 'string' || typeof secret.storedKey !== 'string' || typeof secret.serverKey !== 'string' || !Number.isInteger(secret.iterations)) {
        throw new SecurityConfigError(source, `user "${name}": a stored SCRAM credential needs salt, iterations, storedKey, serverKey`);
      }
    }
  }
  return users as Record<string, UserSecrets>;
}

function validateAcls(acls: unknown, source: string): AclRule[] {
  if (!Array.isArray(acls)) throw new SecurityConfigError(source, 'expected a list of ACL rules');
  acls.forEach((rule: Partial<AclRule>, index) => {
    const where = `rule ${index}`;
    if (typeof rule.principal !== 'string' || !rule.principal.startsWith('User:')) throw new SecurityConfigError(source, `${where}: principal must be "User:<name>" or "User:*"`);
    if (!RESOURCE_TYPES.has(rule.resourceType as string)) throw new SecurityConfigError(source, `${where}: resourceType must be topic, group or cluster`);
    if (typeof rule.name !== 'string' || rule.name.length === 0) throw new SecurityConfigError(source, `${where}: name must be a resource name or "*"`);
    if (!Array.isArray(rule.operations) || rule.operations.some((operation) => !OPERATIONS.has(operation))) throw new SecurityConfigError(source, `${where}: operations must be some of ${[...OPERATIONS].join(', ')}`);
    if (rule.patternType !== undefined && rule.patternType !== 'literal' && rule.patternType !== 'prefixed') throw new SecurityConfigError(source, `${where}: patternType must be literal or prefixed`);
    if (rule.permission !== undefined && rule.permission !== 'allow' && rule.permission !== 'deny') throw new SecurityConfigError(source, `${where}: permission must be allow or deny`);
  });
  return acls as AclRule[];
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    throw new SecurityConfigError(path, (error as Error).message);
  }
}

/** Reads the CLI's --sasl-users and --acls files (absent ACL file: no rules, only super users pass). */
export async function loadSecurityFiles(usersPath: string, aclsPath: string | undefined): Promise<Pick<SecurityOptions, 'users' | 'acls'>> {
  const users = validateUsers(await readJson(usersPath), usersPath);
  const acls = aclsPath === undefined ? [] : validateAcls(await readJson(aclsPath), aclsPath);
  return { users, acls };
}

export { validateAcls, validateUsers };

/** What `barista broker` takes on the command line (flags documented in docs/log.md). */
export interface SecurityFlags {
  saslUsers?: string;
  acls?: string;
  superUsers?: string;
  interBrokerUser?: string;
}

/**
 * Maps the CLI flags onto SecurityOptions (undefined without --sasl-users: security off). The
 * inter-broker user's password comes from the users file: its PLAIN password, else a SCRAM
 * entry given as a password (a stored SCRAM credential cannot log in as a client).
 */
export async function securityFromFlags(flags: SecurityFlags): Promise<SecurityOptions | undefined> {
  if (flags.saslUsers === undefined) {
    if (flags.acls !== undefined || flags.interBrokerUser !== undefined) throw new SecurityConfigError('command line', '--acls and --inter-broker-user need --sasl-users');
    return undefined;
  }
  const { users, acls } = await loadSecurityFiles(flags.saslUsers, flags.acls);
  const superUsers = (flags.superUsers ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (flags.interBrokerUser === undefined) return { users, acls, superUsers };
  const name = flags.interBrokerUser;
  const secrets = users[name];
  const scram512 = secrets?.scram?.sha512;
  const scram256 = secrets?.scram?.sha256;
  const interBroker: InterBrokerCredential | undefined =
    secrets?.plain !== undefined ? { username: name, password: secrets.plain, mechanism: 'PLAIN' }
    : typeof scram512 === 'string' ? { username: name, password: scram512, mechanism: 'SCRAM-SHA-512' }
    : typeof scram256 === 'string' ? { username: name, password: scram256, mechanism: 'SCRAM-SHA-256' }
    : undefined;
  if (interBroker === undefined) throw new SecurityConfigError(flags.saslUsers, `--inter-broker-user ${name}: the user needs a plain password or a SCRAM password (not a stored credential)`);
  return { users, acls, superUsers, interBroker };
}
