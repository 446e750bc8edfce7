import { DomainError } from '@softphone/errors';

export type AccessCodeKind = 'skill-queue' | 'ivr';

/** What an access code of the tenant already reaches. */
export interface AccessCodeHolder {
  kind: AccessCodeKind;
  id: string;
}

export function accessCodeTaken(accessCode: string, holder?: AccessCodeHolder): DomainError {
  const reaching = holder ? `${holder.kind} ${holder.id}` : 'another skill queue or IVR';
  return new DomainError('ACCESS_CODE_TAKEN', `access code ${accessCode} already reaches ${reaching} in this tenant`, {
    field: 'accessCode',
  });
}

/** An access code reaches one skill queue or one IVR of its tenant, never two. */
export function assertAccessCodeFree(accessCode: string, holder: AccessCodeHolder | null): void {
  if (holder) throw accessCodeTaken(accessCode, holder);
}
