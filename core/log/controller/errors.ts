/** Errors of the controller and of the cluster state it keeps in coord. */

/** A znode of the cluster state holds something this broker cannot read. */
export class ClusterStateError extends Error {
  readonly code = 'BAD_CLUSTER_STATE';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cluster state at ${path} is unreadable (${reason}); it was written by something other than a Barista or Kafka broker, or by hand`);
    this.name = 'ClusterStateError';
  }
}

/** CreateTopics asked for more replicas than there are live brokers. */
export class ReplicationFactorError extends Error {
  readonly code = 'INVALID_REPLICATION_FACTOR';
  constructor(
    readonly replicationFactor: number,
    readonly liveBrokers: number,
  ) {
    super(`replication factor ${replicationFactor} is larger than the ${liveBrokers} live broker(s); start more brokers or ask for fewer replicas`);
    this.name = 'ReplicationFactorError';
  }
}
