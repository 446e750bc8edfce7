import { Counter, Gauge } from 'prom-client';

export const liveConnections = new Gauge({ name: 'live_connections', help: 'Live channel connections on this instance' });
export const liveFramesSent = new Counter({ name: 'live_frames_sent_total', help: 'Event frames sent to browsers' });
export const liveDisconnects = new Counter({
  name: 'live_refusals_total',
  help: 'Connections refused or cut off, by code',
  labelNames: ['code'],
});
export const liveWindowEvents = new Gauge({ name: 'live_window_events', help: 'Events kept for resumes on this instance' });
export const liveResumes = new Counter({
  name: 'live_resumes_total',
  help: 'Connections that resumed from a position, by outcome',
  labelNames: ['outcome'],
});
export const liveSecondsSkipped = new Counter({
  name: 'live_seconds_skipped_total',
  help: 'Messages of the seconds topic that were not a QualitySecondsMessage',
});
