import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { workspaceRoot } from './workspace-root.js';

const PEER_PAGE = '<!doctype html><meta charset="utf-8"><title>peer</title><script type="module" src="/peer.js"></script>';

export interface PageServer {
  /** The peer page's address (http://127.0.0.1:<port>/: a secure context, so getUserMedia works). */
  url: string;
  close(): Promise<void>;
}

/** Serves the harness's peer page (peer/peer.js) on 127.0.0.1. */
export async function startPeerPageServer(): Promise<PageServer> {
  const script = readFileSync(join(workspaceRoot(), 'libs/browser-testing/peer/peer.js'));
  const server = createServer((request, response) => {
    if (request.url === '/peer.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else {
      response.writeHead(200, { 'content-type': 'text/html' }).end(PEER_PAGE);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
