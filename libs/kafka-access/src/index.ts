export * from './kafka-access.policy.js';
export * from './kafka-provisioning.js';
export * from './kafka-security.js';
