/**
 * Development tokens, signed with the development identity provider's key
 * (JWT_SIGNING_KEY_FILE, default .infra/dev-keys/jwt-signing-key.json, the key
 * `npm start` gives the services the public half of):
 *
 *   npm run token -- --role agent --tenant <tenantId> --sub <agentId> [--ttl 3600]
 *
 * Short-lived by default (1 h); the services refuse more than their JWT_MAX_TTL_SECONDS (12 h).
 */
import { parseArgs } from 'node:util';
import { ROLES, type Role } from './principal.js';
import { devSigningKeyFile, loadOrCreateSigningKey } from './signing-keys.js';
import { signToken } from './tokens.js';

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'system-admin' },
    tenant: { type: 'string', default: 'system' },
    sub: { type: 'string' },
    ttl: { type: 'string', default: '3600' },
  },
});

const role = values.role as Role;
if (!ROLES.includes(role)) {
  process.stderr.write(`unknown role "${values.role}": one of ${ROLES.join(', ')}\n`);
  process.exit(2);
}
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl < 1 || ttl > 12 * 3600) {
  process.stderr.write(`--ttl must be a whole number of seconds from 1 to ${12 * 3600}\n`);
  process.exit(2);
}
const key = loadOrCreateSigningKey(devSigningKeyFile());
const token = await signToken({ role, tenantId: values.tenant, subject: values.sub ?? `${role}-dev` }, key, ttl);
process.stdout.write(`${token}\n`);
