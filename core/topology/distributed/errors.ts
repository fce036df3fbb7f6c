/**
 * Errors of distributed topologies.
 */

export class WireFormatError extends Error {
  readonly code = 'WIRE_FORMAT';
  constructor(detail: string) {
    super(`worker transfer: ${detail}`);
    this.name = 'WireFormatError';
  }
}

export class InvalidAssignmentError extends Error {
  readonly code = 'INVALID_ASSIGNMENT';
  constructor(detail: string) {
    super(`assignment: ${detail}`);
    this.name = 'InvalidAssignmentError';
  }
}

export class InvalidTopologyModuleError extends Error {
  readonly code = 'INVALID_TOPOLOGY_MODULE';
  constructor(readonly modulePath: string, detail: string) {
    super(`topology module ${modulePath}: ${detail}`);
    this.name = 'InvalidTopologyModuleError';
  }
}
