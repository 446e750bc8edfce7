/**
 * Development tokens: npm run token -- --role agent --tenant <tenantId> --sub <agentId> [--ttl 3600]
 * Signs with JWT_SECRET (the services' development default when unset).
 */
import { parseArgs } from 'node:util';
import { ROLES, type Role } from './principal.js';
import { signToken } from './tokens.js';

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'system-admin' },
    tenant: { type: 'string', default: 'system' },
    sub: { type: 'string' },
    ttl: { type: 'string', default: String(12 * 3600) },
  },
});

const role = values.role as Role;
if (!ROLES.includes(role)) {
  process.stderr.write(`unknown role "${values.role}": one of ${ROLES.join(', ')}\n`);
  process.exit(2);
}
const secret = process.env.JWT_SECRET ?? 'dev-secret-change-me';
const token = await signToken({ role, tenantId: values.tenant, subject: values.sub ?? `${role}-dev` }, secret, Number(values.ttl));
process.stdout.write(`${token}\n`);
