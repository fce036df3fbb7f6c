/** Building a topology: components, their streams and subscriptions, checked into a definition. */
export * from './errors.js';
export * from './limits.js';
export * from './components.js';
export * from './topology-definition.js';
export * from './component-configuration.js';
export * from './bolt-declarer.js';
export * from './topology-builder.js';
