export * from './durable-scheduler.js';
export * from './scheduler-schema.js';
