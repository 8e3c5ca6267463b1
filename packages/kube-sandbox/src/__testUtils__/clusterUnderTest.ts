import * as k8s from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { Sandbox, startSandbox } from '../Sandbox';

export { eventually } from '../eventually';

/**
 * The cluster a contract test talks to: the sandbox, or a real cluster named by
 * KUBE_TEST_KUBECONFIG. Tests use only @kubernetes/client-node against it, so
 * the same assertions hold on both.
 */
export interface ClusterUnderTest {
  name: string;
  kubeConfig: k8s.KubeConfig;
  /** Only for the sandbox: its handle (clock, faults); undefined on a real cluster. */
  sandbox?: Sandbox;
  core: k8s.CoreV1Api;
  objects: k8s.KubernetesObjectApi;
  /** A namespace created for this test file, deleted afterwards. */
  namespace: string;
  stop(): Promise<void>;
}

export function randomName(prefix: string) {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

async function prepare(
  name: string,
  kubeConfig: k8s.KubeConfig,
  sandbox?: Sandbox,
): Promise<ClusterUnderTest> {
  const core = kubeConfig.makeApiClient(k8s.CoreV1Api);
  const namespace = randomName('contract');
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  return {
    name,
    kubeConfig,
    sandbox,
    core,
    objects: k8s.KubernetesObjectApi.makeApiClient(kubeConfig),
    namespace,
    async stop() {
      await core.deleteNamespace({ name: namespace }).catch(() => undefined);
      await sandbox?.stop();
    },
  };
}

export async function startSandboxCluster(
  options: Parameters<typeof startSandbox>[0] = {},
): Promise<ClusterUnderTest> {
  const sandbox = await startSandbox(options);
  const kubeConfig = new k8s.KubeConfig();
  kubeConfig.loadFromFile(sandbox.kubeconfigPath);
  return prepare('sandbox', kubeConfig, sandbox);
}

export async function connectRealCluster(
  kubeconfigPath: string,
): Promise<ClusterUnderTest> {
  const kubeConfig = new k8s.KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  return prepare(
    `real cluster (${kubeConfig.getCurrentCluster()?.server})`,
    kubeConfig,
  );
}

function parseBody(body: unknown): object {
  if (typeof body !== 'string') return (body as object) ?? {};
  try {
    return JSON.parse(body);
  } catch {
    // client-node reports some statuses (e.g. 401) without the server's body.
    return { message: body };
  }
}

/** The Status body of a failed client-node call. */
export async function statusOf(call: Promise<unknown>): Promise<{
  code: number;
  reason?: string;
  message?: string;
  details?: {
    causes?: Array<{ field?: string; reason?: string; message?: string }>;
  };
}> {
  try {
    await call;
  } catch (error) {
    if (error instanceof k8s.ApiException) {
      return { code: error.code, ...parseBody(error.body) };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}
