import {
  ENTITY_REF_ANNOTATION,
  MANAGED_BY_VALUE,
  MANAGED_OBJECT_LABELS,
} from '@backups-for-backstage/plugin-backups-common';
import * as k8s from '@kubernetes/client-node';
import { iso, ON_DEMAND_LABEL } from '../cluster/watch/projections';
import { DumpRecord } from '../database/DumpRecordStore';

type Fields = Record<string, any>;

/** What the dump script writes to its termination log. */
interface DumpReport {
  file?: string;
  bytes?: number;
  sha256?: string;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
}

function report(message: unknown): DumpReport | undefined {
  if (typeof message !== 'string') return undefined;
  try {
    const parsed = JSON.parse(message.trim());
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function retentionOf(pod: Fields): DumpRecord['retention'] {
  const env: Fields[] = [
    ...(pod.spec?.initContainers ?? []),
    ...(pod.spec?.containers ?? []),
  ].flatMap(container => container.env ?? []);
  const value = (name: string) => {
    const found = env.find(variable => variable.name === name)?.value;
    return found !== undefined && /^\d+$/.test(found)
      ? Number(found)
      : undefined;
  };
  const count = value('RETENTION_COUNT');
  const maxAgeSeconds = value('RETENTION_MAX_AGE_SECONDS');
  if (count === undefined && maxAgeSeconds === undefined) return undefined;
  return {
    ...(count !== undefined ? { count } : {}),
    ...(maxAgeSeconds !== undefined ? { maxAgeSeconds } : {}),
  };
}

/**
 * The dump a finished dump pod reports (its containers' termination messages:
 * `{file, bytes, sha256, startedAt, finishedAt}` or `{error}`), or undefined
 * for any other pod and for one still running.
 */
export function dumpRecordOfPod(
  cluster: string,
  object: k8s.KubernetesObject,
): DumpRecord | undefined {
  const pod = object as Fields;
  const labels: Record<string, string> = pod.metadata?.labels ?? {};
  const entityRef = pod.metadata?.annotations?.[ENTITY_REF_ANNOTATION];
  if (
    labels[MANAGED_OBJECT_LABELS.managedBy] !== MANAGED_BY_VALUE ||
    labels[MANAGED_OBJECT_LABELS.layer] !== 'database' ||
    // A restore's (or drill's) pod loads a dump; it is no dump itself.
    labels[MANAGED_OBJECT_LABELS.restore] !== undefined ||
    labels[MANAGED_OBJECT_LABELS.drill] !== undefined ||
    !entityRef
  ) {
    return undefined;
  }
  const phase = pod.status?.phase;
  if (phase !== 'Succeeded' && phase !== 'Failed') return undefined;
  const statuses: Fields[] = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  const terminated = statuses
    .map(status => status.state?.terminated)
    .filter(Boolean) as Fields[];
  const reports = terminated.map(state => report(state.message));
  const failure = reports.find(r => r?.error);
  const dump = [...reports].reverse().find(r => r?.file);
  const finishedAt =
    dump?.finishedAt ??
    terminated
      .map(state => iso(state.finishedAt))
      .filter(Boolean)
      .pop() ??
    iso(pod.metadata?.creationTimestamp);
  if (!finishedAt) return undefined;
  const succeeded = phase === 'Succeeded' && !failure && Boolean(dump);
  const startedAt = dump?.startedAt ?? iso(terminated[0]?.startedAt);
  return {
    entityRef,
    cluster,
    namespace: pod.metadata.namespace,
    podName: pod.metadata.name,
    jobName:
      labels['batch.kubernetes.io/job-name'] ??
      labels['job-name'] ??
      pod.metadata.name,
    succeeded,
    onDemand: labels[ON_DEMAND_LABEL] === 'true',
    ...(dump?.file ? { file: dump.file } : {}),
    ...(typeof dump?.bytes === 'number' ? { bytes: dump.bytes } : {}),
    ...(dump?.sha256 ? { sha256: dump.sha256 } : {}),
    ...(succeeded
      ? {}
      : {
          error:
            failure?.error ??
            (phase === 'Succeeded'
              ? 'the dump container reported no dump'
              : 'the dump pod failed without a report; see its log'),
        }),
    ...(startedAt ? { startedAt } : {}),
    finishedAt: iso(finishedAt) ?? finishedAt,
    ...(retentionOf(pod) ? { retention: retentionOf(pod) } : {}),
  };
}
