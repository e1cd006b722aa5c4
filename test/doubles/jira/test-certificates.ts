import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A CA of the test's own, and a server certificate it signed. */
export interface TestCertificates {
  /** PEM of the CA: what a connection to the double must trust. */
  caCertificate: string;
  serverCertificate: string;
  serverKey: string;
}

/** The names the server certificate is valid for. */
export const serverNames = ['localhost', 'jira.test'];
export const serverAddresses = ['127.0.0.1', '127.0.0.2', '::1'];

let made: TestCertificates | undefined;

/**
 * Made once per test process with the openssl CLI, then kept in memory;
 * the files are removed at once.
 */
export function testCertificates(): TestCertificates {
  made ??= makeCertificates();

  return made;
}

function makeCertificates(): TestCertificates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-jira-ca-'));
  const file = (name: string) => path.join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  const names = [
    ...serverNames.map((name) => `DNS:${name}`),
    ...serverAddresses.map((address) => `IP:${address}`),
  ];

  try {
    openssl([
      'req',
      '-x509',
      ...ec,
      '-nodes',
      '-days',
      '2',
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.pem'),
      '-subj',
      '/CN=Hakkiri Test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    openssl([
      'req',
      '-new',
      ...ec,
      '-nodes',
      '-keyout',
      file('server.key'),
      '-out',
      file('server.csr'),
      '-subj',
      '/CN=localhost',
    ]);
    fs.writeFileSync(
      file('server.ext'),
      [
        `subjectAltName=${names.join(',')}`,
        'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth',
      ].join('\n'),
    );
    openssl([
      'x509',
      '-req',
      '-in',
      file('server.csr'),
      '-days',
      '2',
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-extfile',
      file('server.ext'),
      '-out',
      file('server.pem'),
    ]);

    return {
      caCertificate: fs.readFileSync(file('ca.pem'), 'utf8'),
      serverCertificate: fs.readFileSync(file('server.pem'), 'utf8'),
      serverKey: fs.readFileSync(file('server.key'), 'utf8'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}
