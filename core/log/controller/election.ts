/**
 * The controller's decisions about one partition, as pure functions of its assignment, its state
 * in coord and the live brokers. Every change of leader or ISR bumps the leader epoch, which
 * fences the previous leader: its writes to coord fail (conditional setData) and followers
 * refuse its epoch.
 *
 * Clean election only, by default: a leader comes from the ISR. When no ISR member lives the
 * partition goes offline (leader -1) keeping its last ISR, and comes back when one of them
 * returns — availability traded for never losing an acknowledged record (Kafka's
 * unclean.leader.election.enable=false).
 *
 * A broker that restarted (or rejoined after its coord session expired) since the state was
 * written is a new incarnation that may have lost the tail of its log (a crash tears the last
 * write): it keeps no leadership and no ISR seat granted to its previous life when another ISR
 * member may hold what it lost. Its leadership moves to another live ISR member — or, when none
 * lives, is granted anew (bumped epoch) — and it leaves the ISR until it has caught up again, as Kafka's controller does on a
 * broker failure followed by its startup. The state is rewritten either way, so the restarted
 * broker (which never leads on a state older than its registration) learns it.
 */
import { NO_LEADER, type PartitionState } from './partition-state.js';

export interface ElectionInput {
  replicas: readonly number[];
  state: PartitionState;
  live: ReadonlySet<number>;
  controllerEpoch: number;
  uncleanElection?: boolean;
  /** Live brokers registered after the state was written (their broker epoch is newer). */
  restarted?: ReadonlySet<number>;
}

/** The first live ISR member in assignment order (so the preferred replica leads when it can). */
export function chooseLeader(replicas: readonly number[], isr: readonly number[], live: ReadonlySet<number>, unclean = false): number {
  const clean = replicas.find((id) => live.has(id) && isr.includes(id));
  if (clean !== undefined) return clean;
  if (unclean) return replicas.find((id) => live.has(id)) ?? NO_LEADER;
  return NO_LEADER;
}

/** The state of a newly created partition: every live replica in sync, the first leads. */
export function initialState(replicas: readonly number[], live: ReadonlySet<number>, controllerEpoch: number): PartitionState {
  const isr = replicas.filter((id) => live.has(id));
  return { leader: isr[0] ?? NO_LEADER, leaderEpoch: 0, isr: isr.length > 0 ? isr : [...replicas], controllerEpoch };
}

/**
 * What the partition's state should become given the live brokers, or undefined if it is fine.
 * Dead followers leave the ISR; a dead (or absent) leader is replaced from the ISR; an offline
 * partition gets a leader as soon as an ISR member is back.
 */
export function reconcile(input: ElectionInput): PartitionState | undefined {
  const { replicas, state, live, controllerEpoch } = input;
  // A restart matters only when another ISR member may hold records the restarted broker lost;
  // the sole ISR member's log is the partition's log, torn tail or not.
  const restarted = new Set([...(input.restarted ?? [])].filter((id) => state.isr.some((other) => other !== id)));
  // Live brokers whose registration predates the state (or whose restart cannot cost a record).
  const steady = new Set([...live].filter((id) => !restarted.has(id)));
  const keepInIsr = (leader: number) => (id: number) => id === leader || steady.has(id);
  const leaderAlive = state.leader !== NO_LEADER && live.has(state.leader);
  if (leaderAlive && steady.has(state.leader)) {
    const isr = state.isr.filter(keepInIsr(state.leader));
    if (isr.length === state.isr.length) return undefined;
    return { leader: state.leader, leaderEpoch: state.leaderEpoch + 1, isr, controllerEpoch };
  }
  // A dead leader, or a restarted one: a steady ISR member first, then (the only copies left) any live one.
  let leader = chooseLeader(replicas, state.isr, steady);
  if (leader === NO_LEADER) leader = chooseLeader(replicas, state.isr, live, input.uncleanElection);
  if (leader === NO_LEADER) {
    if (state.leader === NO_LEADER) return undefined;
    // Offline: keep the ISR (its members hold every acknowledged record) to elect from later.
    return { leader: NO_LEADER, leaderEpoch: state.leaderEpoch + 1, isr: state.isr, controllerEpoch };
  }
  const isr = state.isr.filter(keepInIsr(leader));
  return { leader, leaderEpoch: state.leaderEpoch + 1, isr: isr.includes(leader) ? isr : [leader], controllerEpoch };
}
