/**
 * Scenario (a): a 3-server coordination ensemble whose server-to-server links run through cuttable
 * proxies, five clients racing CAS on registers, and the nemesis killing, pausing and partitioning
 * servers. The history must satisfy test/faults/history/register-checker.ts (linearizable writes,
 * sequentially consistent sessions, fresh reads after sync, nothing lost).
 *
 * No torn writes by default: a Raft server fsyncs an entry before acknowledging it, and a kill -9
 * cannot tear what was already written, so cutting the tail of a killed server's log removes
 * entries it acknowledged — a disk that lies, outside Raft's model (the leader then treats the
 * follower's rejections as stale and it never catches up). `FAULT_KINDS=kill,torn-write` runs it anyway.
 */
import { mulberry32 } from '../../../core/random/mulberry32.js';
import { startCoordEnsemble, type CoordEnsemble } from '../../support/coord.js';
import { fourLetterWord } from '../../support/zookeeper.js';
import type { History } from '../history/history.js';
import { checkRegisterHistory } from '../history/register-checker.js';
import { describeViolations } from '../history/report.js';
import { finalRegisterReads, registerClientLoop, RegisterRecorder, type RegisterWorkload } from './coord-register-workload.js';
import { faultLine, planFaults, runNemesis, type FaultTarget } from './nemesis.js';
import { commandLineFlag, faultKinds, pauseProcess, resumeProcess, settleWithin, sleep, type ScenarioResult } from './scenario.js';

const SERVERS = 3;
const CLIENTS = 5;
const WORKLOAD: RegisterWorkload = { root: '/nemesis', registers: ['/nemesis/r0', '/nemesis/r1', '/nemesis/r2'] };
/** A fault healed, the ensemble must have every server up and a leader within this. */
const SETTLE_TIMEOUT_MS = 30_000;
/** After the last fault the workload goes on this long with every server up. */
const QUIET_MS = 1_000;
/** A client still busy this long after being told to stop is stuck: a violation. */
const DRAIN_TIMEOUT_MS = 20_000;
/** Syncing and reading every register on every server after the faults; a server that cannot is a violation. */
const FINAL_READS_TIMEOUT_MS = 30_000;
/** Raft log segments (`<first index>.log`): the files a torn write tears. */
const RAFT_SEGMENT = /^\d{20}\.log$/;

function coordTarget(ensemble: CoordEnsemble, dataDirs: readonly string[]): FaultTarget {
  const all = Array.from({ length: SERVERS }, (_, index) => index);
  return {
    nodeNames: all.map((index) => `coord ${index + 1}`),
    kill: (node) => ensemble.kill(node),
    restart: (node) => ensemble.restart(node),
    pause: (node) => pauseProcess(ensemble.processes[node]),
    resume: (node) => resumeProcess(ensemble.processes[node]),
    partition: (side) => side.forEach((node) => ensemble.partition(node)),
    heal: () => all.forEach((node) => ensemble.heal(node)),
    delay: () => {
      throw new Error('the coord scenario does not plan delays (its proxies only cut)');
    },
    undelay: () => undefined,
    dataFiles: (node) => ({ directory: dataDirs[node]!, pattern: RAFT_SEGMENT }),
    settle: async () => {
      await settleWithin(SETTLE_TIMEOUT_MS, async () => {
        const modes = await Promise.all(all.map((node) => ensemble.mode(node)));
        if (modes.includes(undefined)) return `servers without a mode: ${modes.map((mode, node) => `${node + 1}=${mode}`).join(' ')}`;
        return modes.includes('leader') ? undefined : `no leader (${modes.join(', ')})`;
      });
      // Every server must also catch up with what the leader had committed once the fault healed.
      const leader = await ensemble.leaderIndex();
      const target = leader === undefined ? undefined : await lastZxid(ensemble.ports[leader]!);
      if (target === undefined) return;
      await settleWithin(SETTLE_TIMEOUT_MS, async () => {
        const zxids = await Promise.all(ensemble.ports.map(lastZxid));
        const behind = zxids.flatMap((zxid, node) => (zxid !== undefined && zxid >= target ? [] : [`coord ${node + 1} at ${zxid === undefined ? '?' : `0x${zxid.toString(16)}`}`]));
        return behind.length === 0 ? undefined : `servers behind the leader's zxid 0x${target.toString(16)}: ${behind.join(', ')}`;
      });
    },
  };
}

/** The last zxid a server has applied (`srvr`), or undefined when it does not answer. */
async function lastZxid(port: number): Promise<bigint | undefined> {
  const zxid = /Zxid: (0x[0-9a-f]+)/.exec(await fourLetterWord(port, 'srvr').catch(() => ''))?.[1];
  return zxid === undefined ? undefined : BigInt(zxid);
}

/** What `work` resolves to, or `late` if it takes longer than `timeoutMs`. */
async function within(timeoutMs: number, work: Promise<string | undefined>, late: string): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([work, new Promise<string>((resolve) => (timer = setTimeout(() => resolve(late), timeoutMs)))]);
  clearTimeout(timer);
  return result;
}

export async function coordRegisterScenario(seed: number, durationMs: number, log: (line: string) => void = () => undefined): Promise<ScenarioResult> {
  const ensemble = await startCoordEnsemble({ servers: SERVERS, partitionable: true });
  const recorder = new RegisterRecorder();
  try {
    const dataDirs = await Promise.all(ensemble.processes.map((process_) => commandLineFlag(process_!, '--data-dir')));
    const setup = await recorder.connect(ensemble.connectString);
    await setup.create(WORKLOAD.root);
    const initial = new Map<string, { version: number; value: string }>();
    for (const register of WORKLOAD.registers) {
      await setup.create(register, '0');
      initial.set(register, { version: 0, value: '0' });
    }

    let running = true;
    const loops = Array.from({ length: CLIENTS }, (_, index) => registerClientLoop(recorder, WORKLOAD, `c${index + 1}`, ensemble.connectString, mulberry32(seed + index + 1), () => running));
    const loopsDone = Promise.all(loops).then(
      () => undefined,
      (error: unknown) => `a client failed: ${String(error)}`,
    );
    const plan = planFaults({ seed, durationMs, nodeCount: SERVERS, kinds: faultKinds(['kill', 'pause', 'partition']) });
    const nemesis = await runNemesis(plan, coordTarget(ensemble, dataDirs), { seed, durationMs, log });
    await sleep(QUIET_MS);
    running = false;
    const violations: string[] = nemesis.failure === undefined ? [] : [`nemesis: ${nemesis.failure}`];
    const stuck = await within(DRAIN_TIMEOUT_MS, loopsDone, `clients still busy ${DRAIN_TIMEOUT_MS} ms after stop`);
    if (stuck !== undefined) violations.push(stuck);
    const finalReads = finalRegisterReads(recorder, WORKLOAD, ensemble.ports).then(
      () => undefined,
      (error: unknown) => `final reads: ${String(error)}`,
    );
    const unread = await within(FINAL_READS_TIMEOUT_MS, finalReads, `final reads (sync + read on every server) not done within ${FINAL_READS_TIMEOUT_MS} ms`);
    if (unread !== undefined) violations.push(unread);

    const history: History = { initial, operations: recorder.operations };
    const found = checkRegisterHistory(history);
    violations.push(...found.map((violation) => `${violation.kind}: ${violation.message}`));
    return {
      scenario: 'coord-register',
      seed,
      operationsChecked: history.operations.filter((op) => op.outcome.type === 'ok').length,
      faultsInjected: nemesis.records.length,
      violations,
      faultLog: nemesis.records.map((record) => faultLine(seed, record)),
      ...(found.length > 0 ? { excerpt: describeViolations(history, found) } : {}),
    };
  } finally {
    await recorder.closeAll();
    await ensemble.stop();
  }
}
