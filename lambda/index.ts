/** The Lambda layer: one aggregation definition run as a topology, as a batch job, and queried. */
export * from './errors.js';
export * from './limits.js';
export { lambda, LambdaView, type BatchLayerOptions, type LambdaBatchRun, type LambdaViewSpec, type SpeedLayerOptions, type ViewEvent, type ViewMapFunction, type ViewStore } from './lambda-view.js';
