import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/**
 * Writes a kubeconfig with two contexts: `sandbox` (admin) and
 * `sandbox-readonly`, both pointing at the sandbox's URL.
 */
export function writeKubeconfig(
  file: string,
  options: { url: string; tokens: { admin: string; readOnly: string } },
) {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'sandbox',
    clusters: [
      {
        name: 'sandbox',
        // client-node refuses plain HTTP unless TLS verification is off.
        cluster: { server: options.url, 'insecure-skip-tls-verify': true },
      },
    ],
    users: [
      { name: 'sandbox-admin', user: { token: options.tokens.admin } },
      { name: 'sandbox-reader', user: { token: options.tokens.readOnly } },
    ],
    contexts: [
      {
        name: 'sandbox',
        context: { cluster: 'sandbox', user: 'sandbox-admin' },
      },
      {
        name: 'sandbox-readonly',
        context: { cluster: 'sandbox', user: 'sandbox-reader' },
      },
    ],
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, YAML.stringify(config), { mode: 0o600 });
}
