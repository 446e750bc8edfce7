export * from './http-client.js';
export * from './test-service.js';
export * from './service-process.js';
export * from './running-system.js';
export * from './projection-spec.js';
