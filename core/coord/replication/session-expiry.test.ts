import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { DataTree, WriteOp } from '../tree/index.js';
import { TreeDriver } from '../tree/test-helpers.js';
import { SessionExpiry } from './session-expiry.js';

const CHECK_EVERY_MS = 10;
const SESSION_TIMEOUT_MS = 400;
/** A wall-clock step far beyond the session timeout (NTP, a resumed VM). */
const STEP_MS = 60_000;

afterEach(() => {
  jest.restoreAllMocks();
});

function expiryOver(tree: DataTree, closed: bigint[]): SessionExpiry {
  return new SessionExpiry(
    {
      tree,
      write: (op: WriteOp) => {
        if (op.type === 'closeSession') closed.push(op.sessionId);
        return Promise.resolve();
      },
    },
    CHECK_EVERY_MS,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('session expiry', () => {
  it('expires a session not heard from within its timeout, and not one that keeps touching', async () => {
    const driver = new TreeDriver();
    driver.openSession(1n, SESSION_TIMEOUT_MS);
    driver.openSession(2n, SESSION_TIMEOUT_MS);
    const tree = driver.tree;
    const closed: bigint[] = [];
    const expiry = expiryOver(tree, closed);
    expiry.start();
    try {
      for (let elapsed = 0; elapsed < SESSION_TIMEOUT_MS * 2; elapsed += SESSION_TIMEOUT_MS / 4) {
        expiry.touch(2n, SESSION_TIMEOUT_MS);
        await sleep(SESSION_TIMEOUT_MS / 4);
      }
      expect(closed).toEqual([1n]);
    } finally {
      expiry.stop();
    }
  });

  it('expires nothing when the wall clock steps forward or back', async () => {
    const driver = new TreeDriver();
    driver.openSession(1n, SESSION_TIMEOUT_MS);
    const tree = driver.tree;
    const closed: bigint[] = [];
    const expiry = expiryOver(tree, closed);
    const realNow = Date.now.bind(Date);
    let stepMs = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + stepMs);
    expiry.start();
    try {
      stepMs = STEP_MS;
      await sleep(SESSION_TIMEOUT_MS / 4);
      expiry.touch(1n, SESSION_TIMEOUT_MS);
      stepMs = -STEP_MS;
      await sleep(SESSION_TIMEOUT_MS / 4);
      expect(closed).toEqual([]);
    } finally {
      expiry.stop();
    }
  });
});
