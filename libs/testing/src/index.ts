export * from './databases.js';
export * from './environment.js';
export * from './eventually.js';
export * from './names.js';
export * from './kafka.js';
export * from './decider-spec.js';
export * from './upstream-events.js';
export * from './private-kafka.js';
