import { describe, expect, it } from '@jest/globals';
import { CreateMode, ErrorCode, EventType } from '../zookeeper-constants.js';
import { NO_IDS, OPEN_ACL, TreeDriver, createOp } from './test-helpers.js';
import type { WriteOp } from './types.js';

describe('multi', () => {
  it('applies every op and answers with their results in order', () => {
    const driver = new TreeDriver();
    driver.create('/a', { data: 'x' });
    const outcome = driver.apply({
      type: 'multi',
      ops: [createOp('/b'), { type: 'setData', path: '/a', data: Buffer.from('y'), version: 0 }, { type: 'check', path: '/a', version: 1 }, { type: 'delete', path: '/b', version: 0 }],
    });
    expect(outcome.result).toMatchObject({
      err: 0,
      type: 'multi',
      results: [
        { err: 0, type: 'create', path: '/b', stat: { czxid: 2n } },
        { err: 0, type: 'setData', stat: { version: 1, mzxid: 2n } },
        { err: 0, type: 'check' },
        { err: 0, type: 'delete' },
      ],
    });
  });

  it('lets later ops see earlier ones: a parent and its child, a delete and a re-create', () => {
    const driver = new TreeDriver();
    driver.create('/old', { data: 'v1' });
    const outcome = driver.apply({
      type: 'multi',
      ops: [createOp('/p'), createOp('/p/c'), { type: 'delete', path: '/old', version: -1 }, createOp('/old', { data: 'v2' })],
    });
    expect(outcome.result.err).toBe(0);
    expect(driver.tree.getData('/p/c', NO_IDS).err).toBe(0);
    expect(driver.tree.getData('/old', NO_IDS)).toMatchObject({ data: Buffer.from('v2'), stat: { czxid: 2n } });
  });

  it('numbers sequential creates of one multi one after another', () => {
    const driver = new TreeDriver();
    driver.create('/q');
    const seq = createOp('/q/n-', { mode: CreateMode.PERSISTENT_SEQUENTIAL });
    expect(driver.apply({ type: 'multi', ops: [seq, seq] }).result).toMatchObject({ results: [{ path: '/q/n-0000000000' }, { path: '/q/n-0000000001' }] });
  });

  it('reports the triggers of all ops on success', () => {
    const driver = new TreeDriver();
    const outcome = driver.apply({ type: 'multi', ops: [createOp('/a'), { type: 'setData', path: '/a', data: Buffer.from('x'), version: -1 }] });
    expect(outcome.triggers).toEqual([
      { path: '/a', type: EventType.NodeCreated, acl: OPEN_ACL },
      { path: '/', type: EventType.NodeChildrenChanged, acl: OPEN_ACL },
      { path: '/a', type: EventType.NodeDataChanged, acl: OPEN_ACL },
    ]);
  });

  it('on failure gives OK before the failing op, its code, then RUNTIMEINCONSISTENCY', () => {
    const driver = new TreeDriver();
    driver.create('/a');
    const ops: WriteOp[] = [createOp('/b'), { type: 'check', path: '/a', version: 7 }, createOp('/c'), { type: 'delete', path: '/a', version: -1 }];
    expect(driver.apply({ type: 'multi', ops }).result).toEqual({
      err: ErrorCode.BADVERSION,
      type: 'multi',
      results: [
        { err: 0, type: 'create' },
        { err: ErrorCode.BADVERSION, type: 'check' },
        { err: ErrorCode.RUNTIMEINCONSISTENCY, type: 'create' },
        { err: ErrorCode.RUNTIMEINCONSISTENCY, type: 'delete' },
      ],
    });
  });

  it('on failure changes nothing, reports no triggers, but consumes the zxid', () => {
    const driver = new TreeDriver();
    driver.create('/q');
    driver.create('/a', { data: 'keep' });
    const before = driver.tree.digest();
    const outcome = driver.apply({
      type: 'multi',
      ops: [
        createOp('/q/s-', { mode: CreateMode.PERSISTENT_SEQUENTIAL }),
        { type: 'setData', path: '/a', data: Buffer.from('lost'), version: -1 },
        { type: 'delete', path: '/a', version: -1 },
        createOp('/a/child'),
      ],
    });
    expect(outcome.result.err).toBe(ErrorCode.NONODE);
    expect(outcome.triggers).toEqual([]);
    expect(driver.tree.digest()).toBe(before);
    expect(driver.tree.lastZxid).toBe(3n);
    driver.tree.checkInvariants();
    expect(driver.create('/q/s-', { mode: CreateMode.PERSISTENT_SEQUENTIAL }).result).toMatchObject({ path: '/q/s-0000000000' });
  });

  it('fails as a whole with MARSHALLINGERROR for ops a client cannot put in a multi', () => {
    const driver = new TreeDriver();
    const before = driver.tree.digest();
    const outcome = driver.apply({ type: 'multi', ops: [createOp('/a'), { type: 'setACL', path: '/', acl: OPEN_ACL, version: -1 }] });
    expect(outcome.result).toEqual({ err: ErrorCode.MARSHALLINGERROR, type: 'multi' });
    expect(driver.tree.digest()).toBe(before);
  });

  it('accepts an empty multi', () => {
    expect(new TreeDriver().apply({ type: 'multi', ops: [] }).result).toEqual({ err: 0, type: 'multi', results: [] });
  });
});
