import type { SnapshotPolicy } from '@softphone/event-store';

/** An agent's line is reserved and released for every call: load it from a snapshot taken every 20 events. */
export const AGENT_LINE_SNAPSHOTS: SnapshotPolicy = { name: 'agent-line-v1', every: 20 };
