import type { RunningSystem } from '@softphone/service-testing';
import { testEnv } from '@softphone/testing';
import { SystemClient } from '../src/system.js';

/** A scenario client for the services of a RunningSystem (test JWT secret, the SMTP sink of the test run). */
export function clientOf(system: RunningSystem): SystemClient {
  const urls = system.urls();
  return new SystemClient({
    tenant: urls['tenant-svc'],
    agent: urls['agent-svc'],
    call: urls['call-svc'],
    quality: urls['quality-svc'],
    jwtSecret: testEnv.jwtSecret,
    mailApi: testEnv.mailApiUrl,
  });
}
