/**
 * A coord client times its pings and its read timeout on the monotonic clock, so a wall clock
 * stepped under it (NTP, a VM resumed, `date -s`) changes nothing: its session neither expires
 * (a step back used to silence its pings until the clock caught up) nor drops its connection (a
 * step forward used to look like a server silent for the whole step). A real client process on a
 * libfaketime clock holds an ephemeral node; an observer on the real clock watches its owner.
 * No randomness: the steps are fixed, so there is no seed to log.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoordClient } from '../../core/coord/client/coord-client.js';
import { CreateMode } from '../../core/coord/zookeeper-constants.js';
import { BARISTA_BIN } from '../support/barista.js';
import { startCoordEnsemble, type CoordEnsemble } from '../support/coord.js';
import { startProcess, type ManagedProcess } from '../support/processes.js';
import { FakeClock } from './harness/fake-clock.js';
import { sleep } from './harness/scenario.js';

const SESSION_TIMEOUT_MS = 3_000;
/** The size of each step, ten times the session timeout. */
const STEP_MS = 30_000;
/** How long each step is held: a session whose pings went quiet at the step expires well within it. */
const HOLD_MS = 3 * SESSION_TIMEOUT_MS;
const HOLDER_PATH = '/clock-step-holder';

/** The client process: holds an ephemeral node and prints every session state change. */
const HOLDER_SCRIPT = `
const { CoordClient } = await import(process.argv[2]);
const client = await CoordClient.connect(process.argv[1], { sessionTimeoutMs: ${SESSION_TIMEOUT_MS} });
client.session.state$.subscribe((state) => console.log('state ' + state));
await client.create('${HOLDER_PATH}', 'held', { mode: ${CreateMode.EPHEMERAL} });
console.log('holding on session ' + client.session.sessionId.toString(16));
setInterval(() => undefined, 1_000);
`;

describe('coord client: a stepped wall clock', () => {
  let workDir: string;
  let coord: CoordEnsemble;
  let observer: CoordClient;
  let clock: FakeClock;
  let holder: ManagedProcess;
  let ownerAtStart: bigint | undefined;
  const owner = async () => (await observer.exists(HOLDER_PATH))?.ephemeralOwner;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'barista-clock-step-'));
    coord = await startCoordEnsemble({ servers: 1, tickTimeMs: 500 });
    observer = await CoordClient.connect(coord.connectString);
    clock = await FakeClock.create(workDir, 'holder');
    const clientModule = pathToFileURL(resolve(BARISTA_BIN, '../../coord/client/coord-client.js')).href;
    holder = await startProcess({
      name: 'coord client on a fake clock',
      command: process.execPath,
      args: ['--input-type=module', '-e', HOLDER_SCRIPT, coord.connectString, clientModule],
      env: { ...process.env, ...clock.environment() },
      ready: async () => (await owner()) !== undefined,
    });
    ownerAtStart = await owner();
  }, 30_000);

  afterAll(async () => {
    await holder?.stop();
    await observer?.close();
    await coord?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it(`keeps its session and its connection while its clock is ${STEP_MS / 1_000} s behind`, async () => {
    await clock.setOffset(-STEP_MS);
    await sleep(HOLD_MS);
    expect(await owner()).toBe(ownerAtStart);
    expect(holder.output()).not.toMatch(/state (connecting|expired)/);
  }, 20_000);

  it(`keeps its session and its connection after its clock steps ${STEP_MS / 1_000} s ahead`, async () => {
    await clock.setOffset(STEP_MS);
    await sleep(HOLD_MS);
    await clock.setOffset(0);
    expect(await owner()).toBe(ownerAtStart);
    expect(holder.output()).not.toMatch(/state (connecting|expired)/);
  }, 20_000);
});
