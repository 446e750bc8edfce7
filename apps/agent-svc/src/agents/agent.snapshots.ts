import type { SnapshotPolicy } from '@softphone/event-store';

/** An agent's stream grows by two events with every call it takes: load it from a snapshot taken every 20 events. */
export const AGENT_SNAPSHOTS: SnapshotPolicy = { name: 'agent-v1', every: 20 };
