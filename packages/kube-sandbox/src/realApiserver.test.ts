import * as k8s from '@kubernetes/client-node';
import {
  loadRealApiserverRecordings,
  UNRECORDED_METADATA,
} from './realApiserver';
import { Sandbox, startSandbox } from './Sandbox';

/**
 * Replays what a real kube-apiserver v1.32.13 was sent (../shared/real-apiserver/
 * objects: every object the planner made for the example catalog) into the
 * sandbox through client-node, and asserts that the sandbox answers a GET
 * with exactly what the real server answered: its defaults, what its
 * serializer drops, nothing more and nothing less.
 */
/** The GET answer as the recording keeps it: server-set metadata removed. */
function comparable(object: k8s.KubernetesObject): unknown {
  const copy = JSON.parse(JSON.stringify(object));
  for (const key of UNRECORDED_METADATA) delete copy.metadata[key];
  return copy;
}

describe('the sandbox answers like a real kube-apiserver v1.32', () => {
  const all = loadRealApiserverRecordings();
  let sandbox: Sandbox;
  let objects: k8s.KubernetesObjectApi;

  beforeAll(async () => {
    // The recorded server ran no Velero, SnapScheduler or kubelet.
    sandbox = await startSandbox({ simulate: false });
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromFile(sandbox.kubeconfigPath);
    objects = k8s.KubernetesObjectApi.makeApiClient(kubeConfig);
    const core = kubeConfig.makeApiClient(k8s.CoreV1Api);
    const namespaces = new Set(all.map(r => r.sent.metadata!.namespace!));
    for (const name of namespaces) {
      await core
        .createNamespace({ body: { metadata: { name } } })
        .catch(error => {
          if (error.code !== 409) throw error;
        });
    }
  });

  afterAll(() => sandbox?.stop());

  it('has the recordings of every kind the planner makes', () => {
    expect(new Set(all.map(r => r.sent.kind))).toEqual(
      new Set([
        'CronJob',
        'Role',
        'RoleBinding',
        'Schedule',
        'ServiceAccount',
        'SnapshotSchedule',
      ]),
    );
  });

  it.each(all.map(recording => [recording.file, recording] as const))(
    '%s: GET after create equals the recorded answer',
    async (_file, { sent, answered }) => {
      await objects.create(sent as k8s.KubernetesObject);
      const read = await objects.read({
        apiVersion: sent.apiVersion,
        kind: sent.kind,
        metadata: {
          name: sent.metadata!.name!,
          namespace: sent.metadata!.namespace,
        },
      });
      expect(comparable(read)).toEqual(answered);
    },
  );

  it.each(all.map(recording => [recording.file, recording] as const))(
    '%s: replacing it with what was sent changes nothing (no new resourceVersion)',
    async (_file, recording) => {
      const sent = recording.sent as k8s.KubernetesObject;
      const ref = {
        apiVersion: sent.apiVersion,
        kind: sent.kind,
        metadata: {
          name: sent.metadata!.name!,
          namespace: sent.metadata!.namespace,
        },
      };
      const before = await objects.read(ref);
      const replaced = await objects.replace({
        ...sent,
        metadata: {
          ...sent.metadata,
          resourceVersion: before.metadata!.resourceVersion,
        },
      });
      expect(replaced.metadata!.resourceVersion).toBe(
        before.metadata!.resourceVersion,
      );
    },
  );
});
