/** DescribeConfigs (key 32) bodies, normalised across versions (DescribeConfigsRequest/Response.json). */

/** Resource types (Kafka's ConfigResource.Type ids). */
export const ConfigResourceType = { UNKNOWN: 0, TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

/** Where a value comes from (Kafka's DescribeConfigsResponse.ConfigSource ids). */
export const ConfigSource = {
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

/** The spec's v0 placeholder for config_source, which v0 does not carry. */
export const CONFIG_SOURCE_NOT_SENT = -1;

export interface DescribeConfigsResource {
  resourceType: number;
  resourceName: string;
  /** null = every configuration key. */
  configurationKeys: string[] | null;
}

export interface DescribeConfigsRequest {
  resources: DescribeConfigsResource[];
  /** v1+; false on decode of v0. */
  includeSynonyms: boolean;
}

export interface DescribeConfigsSynonym {
  name: string;
  value: string | null;
  source: number;
}

export interface DescribeConfigsResourceResult {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** On the wire in v0 only; on decode of v1+ derived as configSource === DEFAULT_CONFIG. */
  isDefault: boolean;
  /** v1+; CONFIG_SOURCE_NOT_SENT on decode of v0. */
  configSource: number;
  isSensitive: boolean;
  /** v1+; [] on decode of v0. */
  synonyms: DescribeConfigsSynonym[];
}

export interface DescribeConfigsResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
  configs: DescribeConfigsResourceResult[];
}

export interface DescribeConfigsResponse {
  throttleTimeMs: number;
  results: DescribeConfigsResult[];
}
