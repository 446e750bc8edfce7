export const ROLES = ['system-admin', 'tenant-admin', 'agent', 'ou-manager', 'gateway'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: from the bearer token. */
export interface Principal {
  /** The caller's own id: the agent id for agents, the manager id for OU managers. */
  subject: string;
  role: Role;
  /** The tenant the caller belongs to; a system admin may act on every tenant. */
  tenantId: string;
}
