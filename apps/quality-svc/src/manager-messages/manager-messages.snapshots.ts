import type { SnapshotPolicy } from '@softphone/event-store';

/** A manager's messages stream grows with every message: load it from a snapshot taken every 50 events. */
export const MANAGER_MESSAGES_SNAPSHOTS: SnapshotPolicy = { name: 'manager-messages-v2', every: 50 };
