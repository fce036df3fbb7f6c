/**
 * Decides whether a principal may do an operation on a resource, from the ACL rules (config.ts
 * describes them). Pure and synchronous: the request filters call it once per topic or group.
 */
import type { AclRule, Operation, ResourceType } from './config.js';

/** Operations that imply DESCRIBE on the same resource (Kafka's AclAuthorizer does the same). */
const IMPLIES_DESCRIBE: ReadonlySet<Operation> = new Set<Operation>(['read', 'write', 'delete', 'alter']);

export class Authorizer {
  private readonly superUsers: ReadonlySet<string>;

  constructor(
    private readonly rules: readonly AclRule[],
    superUsers: Iterable<string>,
  ) {
    this.superUsers = new Set(superUsers);
  }

  isSuperUser(user: string): boolean {
    return this.superUsers.has(user);
  }

  allows(user: string, operation: Operation, resourceType: ResourceType, name: string): boolean {
    if (this.superUsers.has(user)) return true;
    const matching = this.rules.filter((rule) => rule.resourceType === resourceType && principalMatches(rule, user) && resourceMatches(rule, name));
    const grants = (rule: AclRule) => rule.operations.includes('all') || rule.operations.includes(operation) || (operation === 'describe' && rule.operations.some((granted) => IMPLIES_DESCRIBE.has(granted)));
    // Deny wins: a deny of the operation itself (or of all) refuses, even if another rule allows.
    if (matching.some((rule) => rule.permission === 'deny' && (rule.operations.includes('all') || rule.operations.includes(operation)))) return false;
    return matching.some((rule) => rule.permission !== 'deny' && grants(rule));
  }

  /**
   * Whether the principal may do `operation` on at least one resource of the type (Kafka's
   * authorizeByResourceType, used for InitProducerId: WRITE on any topic): some allow rule grants
   * it, and no deny of it covers every name.
   */
  allowsSome(user: string, operation: Operation, resourceType: ResourceType): boolean {
    if (this.superUsers.has(user)) return true;
    const matching = this.rules.filter((rule) => rule.resourceType === resourceType && principalMatches(rule, user));
    const covers = (rule: AclRule) => rule.operations.includes('all') || rule.operations.includes(operation);
    if (matching.some((rule) => rule.permission === 'deny' && covers(rule) && rule.name === '*')) return false;
    return matching.some((rule) => rule.permission !== 'deny' && covers(rule));
  }
}

function principalMatches(rule: AclRule, user: string): boolean {
  return rule.principal === 'User:*' || rule.principal === `User:${user}`;
}

function resourceMatches(rule: AclRule, name: string): boolean {
  if (rule.name === '*') return true;
  return rule.patternType === 'prefixed' ? name.startsWith(rule.name) : rule.name === name;
}
