import { devSigningKeyFile, loadOrCreateSigningKey, signToken, type Principal, type SigningKey } from '@softphone/auth';
import { SERVICES } from '@softphone/service-catalog';
import { HttpClient } from '@softphone/service-testing';

/** Where the four services of a running system answer, and how to sign tokens for it. */
export interface SystemAddress {
  tenant: string;
  agent: string;
  call: string;
  quality: string;
  /** The identity provider's key whose public half the services trust (the scenario signs its own tokens). */
  signingKey: SigningKey;
  /** The SMTP sink's HTTP API (maildev), to see the manager's mail. */
  mailApi: string;
}

/** The system `npm start` runs on this machine. */
export function localSystem(env = process.env): SystemAddress {
  const url = (name: 'tenant' | 'agent' | 'call' | 'quality') =>
    env[`${name.toUpperCase()}_SVC_URL`] ?? `http://127.0.0.1:${SERVICES[`${name}-svc`].port}`;
  return {
    tenant: url('tenant'),
    agent: url('agent'),
    call: url('call'),
    quality: url('quality'),
    signingKey: loadOrCreateSigningKey(devSigningKeyFile(env)),
    mailApi: env.MAIL_API_URL ?? 'http://127.0.0.1:1080',
  };
}

/** HTTP clients for each service and tokens for each role of the scenario. */
export class SystemClient {
  readonly tenant: HttpClient;
  readonly agent: HttpClient;
  readonly call: HttpClient;
  readonly quality: HttpClient;

  constructor(readonly address: SystemAddress) {
    this.tenant = new HttpClient(address.tenant);
    this.agent = new HttpClient(address.agent);
    this.call = new HttpClient(address.call);
    this.quality = new HttpClient(address.quality);
  }

  token(principal: Principal): Promise<string> {
    return signToken(principal, this.address.signingKey, 3600);
  }

  /** Mails the SMTP sink received for one address. */
  async mailsTo(email: string): Promise<Array<{ subject: string; text: string }>> {
    const response = await fetch(`${this.address.mailApi}/api/email`);
    if (!response.ok) throw new Error(`the SMTP sink's API answered ${response.status}`);
    const mails = (await response.json()) as Array<{ subject: string; text: string; to: Array<{ address: string }> }>;
    return mails.filter((mail) => mail.to.some((to) => to.address === email));
  }
}
