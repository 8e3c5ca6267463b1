import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SimulatedClock } from './clock';
import {
  startControllers,
  ControllerOptions,
  SandboxControllers,
} from './controllers';
import { createRegistry } from './resources/createRegistry';
import { ResourceRegistry } from './resources/ResourceRegistry';
import { KubeApiServer, TokenIdentity } from './server/KubeApiServer';
import { ObjectStore } from './store/ObjectStore';
import { createObjectValidator } from './store/validateObject';
import { applyFixture } from './fixtures';
import { writeKubeconfig } from './kubeconfig';

/** Tokens every sandbox accepts unless told otherwise. */
export const DEFAULT_TOKENS = {
  admin: 'sandbox-admin-token',
  readOnly: 'sandbox-reader-token',
};

export interface SandboxOptions {
  /** Loopback port; 0 picks a free one. */
  port?: number;
  /** Folder of CRD YAML files; default `../shared/crds` beside the repository. */
  crdDirectory?: string;
  /** CRDs to leave out, by `<plural>.<group>`, e.g. to run without SnapScheduler. */
  withoutCrds?: string[];
  /** The admin and read-only bearer tokens. */
  tokens?: { admin: string; readOnly: string };
  /** Where simulated time starts. */
  startTime?: Date;
  /**
   * Milliseconds every request waits before it is answered (watch starts
   * included), as across a network; `server.setLatency` changes it later.
   * Default 0.
   */
  latencyMs?: number;
  /** Events kept for watch resume; older versions answer 410 Gone. */
  watchHistorySize?: number;
  bookmarkIntervalMs?: number;
  /** YAML fixture files to apply at start (multi-document Kubernetes objects). */
  fixtures?: string[];
  /** Where to write the kubeconfig; default a fresh temporary folder. */
  kubeconfigPath?: string;
  controllers?: ControllerOptions;
  /**
   * false: the API server alone, with no simulated controller (no kubelet,
   * CronJob controller, Velero or snapshotter writes anything), as when
   * replaying what a bare kube-apiserver answers. Default true.
   */
  simulate?: boolean;
}

/** A running sandbox cluster. */
export interface Sandbox {
  url: string;
  kubeconfigPath: string;
  tokens: { admin: string; readOnly: string };
  clock: SimulatedClock;
  store: ObjectStore;
  server: KubeApiServer;
  controllers: SandboxControllers;
  registry: ResourceRegistry;
  /** Applies a fixture file or YAML text. */
  applyFixture(fileOrYaml: string): void;
  stop(): Promise<void>;
}

function noControllers(): SandboxControllers {
  const off = () => {
    throw new Error('this sandbox runs without simulated controllers');
  };
  return {
    failNextBackups: off,
    setBackupStorageLocationAvailable: off,
    setVolumeProvisioningAvailable: off,
    setJobOutcome: off,
    setPodReadiness: off,
    stop: () => undefined,
  };
}

export async function startSandbox(
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const tokens = options.tokens ?? DEFAULT_TOKENS;
  const registry = createRegistry({
    crdDirectory: options.crdDirectory,
    withoutCrds: options.withoutCrds,
  });
  const clock = new SimulatedClock(options.startTime);
  const store = new ObjectStore({
    registry,
    clock,
    validate: createObjectValidator(),
    historySize: options.watchHistorySize,
  });
  const identities: Record<string, TokenIdentity> = {
    [tokens.admin]: { user: 'sandbox-admin', role: 'admin' },
    [tokens.readOnly]: { user: 'sandbox-reader', role: 'read-only' },
  };
  const server = new KubeApiServer({
    store,
    tokens: identities,
    bookmarkIntervalMs: options.bookmarkIntervalMs,
    latencyMs: options.latencyMs,
  });
  for (const name of [
    'default',
    'kube-system',
    'kube-public',
    'kube-node-lease',
  ]) {
    store.create(registry.findKind('v1', 'Namespace')!, undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    });
  }
  const url = await server.listen(options.port ?? 0);
  const controllers =
    options.simulate === false
      ? noControllers()
      : startControllers({ store, clock, ...options.controllers });

  const kubeconfigPath =
    options.kubeconfigPath ??
    path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'kube-sandbox-')),
      'kubeconfig.yaml',
    );
  writeKubeconfig(kubeconfigPath, { url, tokens });

  const sandbox: Sandbox = {
    url,
    kubeconfigPath,
    tokens,
    clock,
    store,
    server,
    controllers,
    registry,
    applyFixture: fileOrYaml => applyFixture(store, fileOrYaml),
    async stop() {
      clock.stop();
      controllers.stop();
      await server.close();
    },
  };
  (options.fixtures ?? []).forEach(fixture => sandbox.applyFixture(fixture));
  return sandbox;
}
