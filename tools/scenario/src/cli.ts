#!/usr/bin/env node
/**
 * npm run scenario: plays the guide's scenario against the running system
 * (npm start), printing each step's result; exits non-zero at the first surprise.
 * Env: TENANT_SVC_URL, AGENT_SVC_URL, CALL_SVC_URL, QUALITY_SVC_URL, JWT_SIGNING_KEY_FILE (the key npm start
 * generated, .infra/dev-keys/jwt-signing-key.json), MAIL_API_URL.
 */
import { playScenario } from './scenario.js';
import { localSystem, SystemClient } from './system.js';

const system = new SystemClient(localSystem());
process.stdout.write(`Playing the WebRTC phone scenario against ${system.address.tenant} … ${system.address.quality}\n\n`);
try {
  const outcome = await playScenario(system, ({ step, result, ms }) => process.stdout.write(`✔ ${step}\n    ${result} (${ms} ms)\n`));
  process.stdout.write(`\nDone: tenant ${outcome.tenantId}, agent ${outcome.agentId}.\n`);
  process.exit(0);
} catch (error) {
  process.stderr.write(`\n✖ ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
