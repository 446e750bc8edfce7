// The signed-in user's token (sessionStorage: gone with the tab, never in a URL) and what it says.

const KEY = 'softphone.token';

export function claimsOf(token) {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('this is not a JWT');
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  const claims = JSON.parse(json);
  if (!claims.sub || !claims.role || !claims.tenantId) throw new Error('the token lacks sub, role or tenantId');
  return { subject: claims.sub, role: claims.role, tenantId: claims.tenantId, expiresAt: claims.exp ? claims.exp * 1000 : null };
}

export const session = {
  get token() {
    return sessionStorage.getItem(KEY);
  },
  set token(value) {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  },
};
