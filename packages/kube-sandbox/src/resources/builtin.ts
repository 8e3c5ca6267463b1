import {
  validateCronJob,
  validateJob,
  validatePersistentVolumeClaim,
  validateWorkload,
} from './builtinValidation';
import { defaultBuiltinObject } from './defaulting/kindDefaults';
import { KubeObject, ResourceType } from './types';

export const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

function builtin(
  group: string,
  version: string,
  kind: string,
  plural: string,
  options: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    shortNames: [],
    namespaced: true,
    subresources: { status: false },
    verbs: ALL_VERBS,
    defaults: defaultBuiltinObject,
    ...options,
  };
}

const withStatus = { subresources: { status: true } };

/** A Secret's `stringData` is write-only: the server moves it into `data`. */
function mergeStringData(secret: KubeObject): KubeObject {
  const { stringData, ...rest } = secret as KubeObject & {
    stringData?: Record<string, string>;
  };
  if (!stringData) return secret;
  const data = { ...((rest.data as Record<string, string>) ?? {}) };
  for (const [key, value] of Object.entries(stringData)) {
    data[key] = Buffer.from(String(value), 'utf8').toString('base64');
  }
  return { ...rest, data };
}

/** The core kinds the plugin touches, as kube-apiserver serves them. */
export function builtinResources(): ResourceType[] {
  return [
    builtin('', 'v1', 'Namespace', 'namespaces', {
      ...withStatus,
      namespaced: false,
      shortNames: ['ns'],
    }),
    builtin('', 'v1', 'Pod', 'pods', { ...withStatus, shortNames: ['po'] }),
    builtin('', 'v1', 'Secret', 'secrets', { normalize: mergeStringData }),
    builtin('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
    builtin('', 'v1', 'Service', 'services', {
      ...withStatus,
      shortNames: ['svc'],
    }),
    builtin('', 'v1', 'ServiceAccount', 'serviceaccounts', {
      shortNames: ['sa'],
    }),
    builtin('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', {
      ...withStatus,
      shortNames: ['pvc'],
      validate: validatePersistentVolumeClaim,
    }),
    builtin('', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
    builtin('apps', 'v1', 'Deployment', 'deployments', {
      ...withStatus,
      shortNames: ['deploy'],
      validate: validateWorkload,
    }),
    builtin('apps', 'v1', 'StatefulSet', 'statefulsets', {
      ...withStatus,
      shortNames: ['sts'],
      validate: validateWorkload,
    }),
    builtin('batch', 'v1', 'CronJob', 'cronjobs', {
      ...withStatus,
      shortNames: ['cj'],
      validate: validateCronJob,
    }),
    builtin('batch', 'v1', 'Job', 'jobs', {
      ...withStatus,
      validate: validateJob,
    }),
    builtin('rbac.authorization.k8s.io', 'v1', 'Role', 'roles'),
    builtin('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings'),
  ];
}
