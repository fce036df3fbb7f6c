/**
 * AlterConfigs (key 33) and IncrementalAlterConfigs (key 44) bodies, normalised across versions
 * (AlterConfigsRequest/Response.json, IncrementalAlterConfigsRequest/Response.json). Both answer
 * with the same per-resource result.
 */

/** IncrementalAlterConfigs' config_operation ids (Kafka's AlterConfigOp.OpType). */
export const AlterConfigOperation = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

export interface AlterableConfig {
  name: string;
  value: string | null;
  /** IncrementalAlterConfigs only; AlterConfigs replaces the whole set (SET for every entry). */
  operation: number;
}

export interface AlterConfigsResource {
  resourceType: number;
  resourceName: string;
  configs: AlterableConfig[];
}

export interface AlterConfigsRequest {
  resources: AlterConfigsResource[];
  validateOnly: boolean;
}

export interface AlterConfigsResourceResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

export interface AlterConfigsResponse {
  throttleTimeMs: number;
  responses: AlterConfigsResourceResult[];
}
