import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ClusterConfig } from '../config/readBackupsConfig';
import { kubeConfigForCluster } from './kubeConfigForCluster';

const base: ClusterConfig = {
  name: 'prod',
  skipTLSVerify: false,
  inCluster: false,
  veleroNamespace: 'velero',
};

describe('kubeConfigForCluster', () => {
  it('uses url, token, CA data and skipTLSVerify', () => {
    const kubeConfig = kubeConfigForCluster({
      ...base,
      url: 'https://prod.example.com:6443',
      serviceAccountToken: 'secret-token',
      caData: 'Q0E=',
      skipTLSVerify: true,
    });
    expect(kubeConfig.getCurrentCluster()).toMatchObject({
      server: 'https://prod.example.com:6443',
      caData: 'Q0E=',
      skipTLSVerify: true,
    });
    expect(kubeConfig.getCurrentUser()?.token).toBe('secret-token');
  });

  it('reads a kubeconfig file and selects its context', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-'));
    const file = path.join(dir, 'config');
    fs.writeFileSync(
      file,
      YAML.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: ['one', 'two'].map(name => ({
          name,
          cluster: { server: `https://${name}.example.com` },
        })),
        users: [{ name: 'me', user: { token: 't' } }],
        contexts: ['one', 'two'].map(name => ({
          name,
          context: { cluster: name, user: 'me' },
        })),
        'current-context': 'one',
      }),
    );
    try {
      expect(
        kubeConfigForCluster({
          ...base,
          kubeconfig: { path: file },
        }).getCurrentCluster()?.server,
      ).toBe('https://one.example.com');
      expect(
        kubeConfigForCluster({
          ...base,
          kubeconfig: { path: file, context: 'two' },
        }).getCurrentCluster()?.server,
      ).toBe('https://two.example.com');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a cluster without any connection', () => {
    expect(() => kubeConfigForCluster(base)).toThrow(/prod/);
  });
});
