export * from './broker.js';
export * from './event-consumer.js';
export * from './inbox-consumer.js';
export * from './inbox-schema.js';
export * from './kafka-broker.js';
export * from './relay.js';
export { partitionOfKey } from './key-partition.js';
