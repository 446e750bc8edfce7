export * from './durable-scheduler.js';
export * from './scheduler-schema.js';
export * from './durable-scheduler.module.js';
export * from './job-type.js';
export * from './job-trace.js';
