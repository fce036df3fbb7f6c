/** core/topology/windowing: Storm-style windowed bolts — window managers, BaseWindowedBolt and its executor. */
export * from './errors.js';
export * from './limits.js';
export * from './window.js';
export * from './window-config.js';
export { CountWindowManager } from './count-window-manager.js';
export { TimeWindowManager, type AddResult } from './time-window-manager.js';
export { ProcessingTimeWindowManager } from './processing-time-window-manager.js';
export { WatermarkTracker } from './watermark-tracker.js';
export { EventTimeWindowManager, type EventTimeOptions, type EventTimeAddResult } from './event-time-window-manager.js';
export { BaseWindowedBolt } from './windowed-bolt.js';
export { WindowAnchoringCollector } from './window-collector.js';
export { extractTimestamp, type Clock } from './window-drivers.js';
export { WindowedBoltExecutor, windowed, type WindowedExecutorOptions, type WindowStats } from './windowed-bolt-executor.js';
