/**
 * Errors of the topology cluster: each names the offending value and what to do about it.
 */

export class TopologyExistsError extends Error {
  readonly code = 'TOPOLOGY_EXISTS';
  constructor(readonly topologyName: string) {
    super(`topology '${topologyName}' already exists: kill it first (barista kill ${topologyName}) or choose another --name`);
    this.name = 'TopologyExistsError';
  }
}

export class UnknownTopologyError extends Error {
  readonly code = 'UNKNOWN_TOPOLOGY';
  constructor(readonly topologyName: string) {
    super(`no topology named '${topologyName}' (barista list shows them)`);
    this.name = 'UnknownTopologyError';
  }
}

export class SubmissionRejectedError extends Error {
  readonly code = 'SUBMISSION_REJECTED';
  constructor(
    readonly topologyName: string,
    readonly reason: string,
  ) {
    super(`nimbus rejected topology '${topologyName}': ${reason}`);
    this.name = 'SubmissionRejectedError';
  }
}

export class NimbusTimeoutError extends Error {
  readonly code = 'NIMBUS_TIMEOUT';
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`no nimbus ${what} within ${timeoutMs} ms: is a nimbus running against this coord (barista nimbus --coord …)?`);
    this.name = 'NimbusTimeoutError';
  }
}

export class ModuleTooLargeError extends Error {
  readonly code = 'MODULE_TOO_LARGE';
  constructor(
    readonly modulePath: string,
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super(`topology module ${modulePath} is ${sizeBytes} bytes, over the limit of ${maxBytes} once bundled: import large dependencies as npm packages installed with Barista, which stay out of the bundle`);
    this.name = 'ModuleTooLargeError';
  }
}

export class NotEnoughSlotsError extends Error {
  readonly code = 'NOT_ENOUGH_SLOTS';
  constructor(
    readonly wanted: number,
    readonly free: number,
  ) {
    super(`${wanted} worker slots wanted, ${free} free on live supervisors: start supervisors or ask for fewer --workers`);
    this.name = 'NotEnoughSlotsError';
  }
}

export class InvalidClusterRecordError extends Error {
  readonly code = 'INVALID_CLUSTER_RECORD';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`coord node ${path}: ${detail}`);
    this.name = 'InvalidClusterRecordError';
  }
}

export class InvalidClusterOptionError extends Error {
  readonly code = 'INVALID_CLUSTER_OPTION';
  constructor(
    readonly option: string,
    detail: string,
  ) {
    super(`${option}: ${detail}`);
    this.name = 'InvalidClusterOptionError';
  }
}
