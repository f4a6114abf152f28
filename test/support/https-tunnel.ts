import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HttpsTunnel {
  /** The public https address, e.g. https://127.0.0.1:PORT. */
  readonly url: string;
  /** The self-signed certificate (PEM file): what NODE_EXTRA_CA_CERTS must name for a client to trust the tunnel. */
  readonly caFile: string;
  /** Each request forwarded, as "METHOD /path -> status". */
  readonly forwarded: string[];
  /** POSTs to a URL behind the tunnel, trusting its certificate (the tests' own client). */
  post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/**
 * What README calls a tunnel (ngrok, cloudflared): an https address that forwards to cxloop's PORT
 * on this machine. TLS ends here, with a certificate for 127.0.0.1 made by openssl when the tunnel
 * starts; while nothing listens on the port it answers 502, as a tunnel does.
 */
export async function startHttpsTunnel(targetPort: number): Promise<HttpsTunnel> {
  const dir = mkdtempSync(join(tmpdir(), 'cxloop-tunnel-'));
  const keyFile = join(dir, 'key.pem');
  const caFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', caFile], { stdio: 'ignore' });
  const ca = readFileSync(caFile);
  const forwarded: string[] = [];
  const server = createServer({ key: readFileSync(keyFile), cert: ca }, (req, res) => {
    const upstream = httpRequest({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-proto': 'https' } }, (answer) => {
      forwarded.push(`${req.method} ${req.url} -> ${answer.statusCode}`);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      forwarded.push(`${req.method} ${req.url} -> 502 (nothing listens on port ${targetPort})`);
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`tunnel: no answer from localhost:${targetPort}\n`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    caFile,
    forwarded,
    post: (target, headers, body) =>
      new Promise((resolve, reject) => {
        const sent = httpsRequest(target, { method: 'POST', headers, ca }, (answer) => {
          let text = '';
          answer.setEncoding('utf8');
          answer.on('data', (chunk: string) => (text += chunk));
          answer.on('end', () => resolve({ status: answer.statusCode ?? 0, body: text }));
        });
        sent.on('error', reject);
        sent.end(body);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        rmSync(dir, { recursive: true, force: true });
      }),
  };
}
