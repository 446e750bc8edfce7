/** One key for a call of a tenant (call ids are unique within a tenant only). */
export const callKey = (tenantId: string, callId: string) => `${tenantId}\u0000${callId}`;
