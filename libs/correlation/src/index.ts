export * from './correlation.js';
export * from './tracing.js';
