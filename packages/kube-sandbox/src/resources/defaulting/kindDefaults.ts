/**
 * The defaults kube-apiserver (v1.32) gives each built-in kind the sandbox
 * serves: the SetDefaults_* functions of pkg/apis/{core,apps,batch,rbac}/v1,
 * the declarative `+default` tags, and what the kinds' registry strategies
 * and Go serialization add (a Job's generated selector, a Namespace's
 * finalizer, `status: {}` where the status is a struct).
 */
import { KubeObject } from '../types';
import { reencodeLikeGo } from './goSerialization';
import {
  defaultPod,
  defaultPodTemplate,
  defaultTemplateMetadata,
} from './podDefaults';

type Fields = Record<string, any>;

export interface DefaultingContext {
  operation: 'create' | 'update';
}

type KindDefaults = (object: Fields, context: DefaultingContext) => void;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function spec(object: Fields): Fields {
  if (!isObject(object.spec)) object.spec = {};
  return object.spec;
}

function setDefault(object: Fields, key: string, value: unknown) {
  if (object[key] === undefined) object[key] = value;
}

/** A struct-typed status encodes as `{}` even when empty. */
function structStatus(object: Fields, initial: Fields = {}) {
  if (!isObject(object.status)) object.status = {};
  for (const [key, value] of Object.entries(initial)) {
    setDefault(object.status, key, value);
  }
}

function defaultClaimSpec(claimSpec: unknown) {
  if (isObject(claimSpec)) setDefault(claimSpec, 'volumeMode', 'Filesystem');
}

/** qos.GetPodQOS, for cpu and memory. */
function qosClassOf(pod: Fields): string {
  const containers: Fields[] = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []),
  ];
  let any = false;
  let guaranteed = true;
  for (const container of containers) {
    for (const resource of ['cpu', 'memory']) {
      const request = container?.resources?.requests?.[resource];
      const limit = container?.resources?.limits?.[resource];
      if (request !== undefined || limit !== undefined) any = true;
      if (limit === undefined || request !== limit) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const JOB_UID_LABEL = 'batch.kubernetes.io/controller-uid';

/** The Job strategy's generateSelector, on create unless manualSelector. */
function generateJobSelector(job: Fields) {
  const jobSpec = spec(job);
  const uid = job.metadata?.uid;
  if (!uid || jobSpec.manualSelector === true) return;
  const template = isObject(jobSpec.template) ? jobSpec.template : {};
  jobSpec.template = template;
  if (!isObject(template.metadata)) template.metadata = {};
  template.metadata.labels = {
    ...(template.metadata.labels ?? {}),
    [JOB_UID_LABEL]: uid,
    'batch.kubernetes.io/job-name': job.metadata.name,
    'controller-uid': uid,
    'job-name': job.metadata.name,
  };
  jobSpec.selector = {
    ...(jobSpec.selector ?? {}),
    matchLabels: {
      ...(jobSpec.selector?.matchLabels ?? {}),
      [JOB_UID_LABEL]: uid,
    },
  };
}

function defaultJobSpec(jobSpec: Fields) {
  if (jobSpec.completions === undefined && jobSpec.parallelism === undefined) {
    jobSpec.completions = 1;
  }
  setDefault(jobSpec, 'parallelism', 1);
  setDefault(
    jobSpec,
    'backoffLimit',
    jobSpec.backoffLimitPerIndex !== undefined ? 2147483647 : 6,
  );
  setDefault(jobSpec, 'completionMode', 'NonIndexed');
  setDefault(jobSpec, 'suspend', false);
  setDefault(
    jobSpec,
    'podReplacementPolicy',
    jobSpec.podFailurePolicy !== undefined ? 'Failed' : 'TerminatingOrFailed',
  );
}

const DEFAULTS: Record<string, KindDefaults> = {
  'v1/Namespace': (namespace, { operation }) => {
    // The namespace strategy: the kubernetes finalizer, phase Active.
    if (operation === 'create') {
      const finalizers: string[] = spec(namespace).finalizers ?? [];
      if (!finalizers.includes('kubernetes')) {
        namespace.spec.finalizers = [...finalizers, 'kubernetes'];
      }
    }
    structStatus(namespace, { phase: 'Active' });
  },
  'v1/Pod': pod => {
    defaultPod(pod);
    structStatus(pod, { phase: 'Pending', qosClass: qosClassOf(pod) });
  },
  'v1/Secret': secret => setDefault(secret, 'type', 'Opaque'),
  'v1/Service': service => {
    const serviceSpec = spec(service);
    setDefault(serviceSpec, 'type', 'ClusterIP');
    setDefault(serviceSpec, 'sessionAffinity', 'None');
    for (const port of Array.isArray(serviceSpec.ports)
      ? serviceSpec.ports
      : []) {
      if (!isObject(port)) continue;
      setDefault(port, 'protocol', 'TCP');
      if (port.targetPort === undefined || port.targetPort === 0) {
        port.targetPort = port.port;
      }
    }
    if (['ClusterIP', 'NodePort', 'LoadBalancer'].includes(serviceSpec.type)) {
      setDefault(serviceSpec, 'internalTrafficPolicy', 'Cluster');
    }
    if (['NodePort', 'LoadBalancer'].includes(serviceSpec.type)) {
      setDefault(serviceSpec, 'externalTrafficPolicy', 'Cluster');
    }
    if (serviceSpec.type === 'LoadBalancer') {
      setDefault(serviceSpec, 'allocateLoadBalancerNodePorts', true);
    }
    structStatus(service, { loadBalancer: {} });
  },
  'v1/PersistentVolumeClaim': claim => {
    defaultClaimSpec(spec(claim));
    structStatus(claim, { phase: 'Pending' });
  },
  'apps/v1/Deployment': deployment => {
    const deploymentSpec = spec(deployment);
    setDefault(deploymentSpec, 'replicas', 1);
    if (!isObject(deploymentSpec.strategy)) deploymentSpec.strategy = {};
    const strategy = deploymentSpec.strategy;
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      if (!isObject(strategy.rollingUpdate)) strategy.rollingUpdate = {};
      setDefault(strategy.rollingUpdate, 'maxUnavailable', '25%');
      setDefault(strategy.rollingUpdate, 'maxSurge', '25%');
    }
    setDefault(deploymentSpec, 'revisionHistoryLimit', 10);
    setDefault(deploymentSpec, 'progressDeadlineSeconds', 600);
    defaultPodTemplate(deploymentSpec.template);
    structStatus(deployment);
  },
  'apps/v1/StatefulSet': set => {
    const setSpec = spec(set);
    setDefault(setSpec, 'podManagementPolicy', 'OrderedReady');
    if (!isObject(setSpec.updateStrategy)) setSpec.updateStrategy = {};
    const strategy = setSpec.updateStrategy;
    if (strategy.type === undefined) {
      strategy.type = 'RollingUpdate';
      if (!isObject(strategy.rollingUpdate)) strategy.rollingUpdate = {};
    }
    if (strategy.type === 'RollingUpdate' && isObject(strategy.rollingUpdate)) {
      setDefault(strategy.rollingUpdate, 'partition', 0);
    }
    if (!isObject(setSpec.persistentVolumeClaimRetentionPolicy)) {
      setSpec.persistentVolumeClaimRetentionPolicy = {};
    }
    setDefault(
      setSpec.persistentVolumeClaimRetentionPolicy,
      'whenDeleted',
      'Retain',
    );
    setDefault(
      setSpec.persistentVolumeClaimRetentionPolicy,
      'whenScaled',
      'Retain',
    );
    setDefault(setSpec, 'replicas', 1);
    setDefault(setSpec, 'revisionHistoryLimit', 10);
    defaultPodTemplate(setSpec.template);
    for (const claim of Array.isArray(setSpec.volumeClaimTemplates)
      ? setSpec.volumeClaimTemplates
      : []) {
      if (!isObject(claim)) continue;
      // Embedded PersistentVolumeClaims encode their type meta and status too.
      setDefault(claim, 'apiVersion', 'v1');
      setDefault(claim, 'kind', 'PersistentVolumeClaim');
      defaultTemplateMetadata(claim);
      defaultClaimSpec(spec(claim));
      structStatus(claim, { phase: 'Pending' });
    }
    structStatus(set, { replicas: 0, availableReplicas: 0 });
  },
  'batch/v1/CronJob': cronJob => {
    const cronSpec = spec(cronJob);
    setDefault(cronSpec, 'concurrencyPolicy', 'Allow');
    setDefault(cronSpec, 'suspend', false);
    setDefault(cronSpec, 'successfulJobsHistoryLimit', 3);
    setDefault(cronSpec, 'failedJobsHistoryLimit', 1);
    // A JobTemplateSpec gets the pod template's defaults, not the Job's.
    if (!isObject(cronSpec.jobTemplate)) cronSpec.jobTemplate = {};
    defaultTemplateMetadata(cronSpec.jobTemplate);
    if (!isObject(cronSpec.jobTemplate.spec)) cronSpec.jobTemplate.spec = {};
    defaultPodTemplate(cronSpec.jobTemplate.spec.template);
    structStatus(cronJob);
  },
  'batch/v1/Job': (job, { operation }) => {
    const jobSpec = spec(job);
    if (operation === 'create') generateJobSelector(job);
    defaultJobSpec(jobSpec);
    const templateLabels = jobSpec.template?.metadata?.labels;
    if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0) {
      job.metadata.labels = { ...templateLabels };
    }
    defaultPodTemplate(jobSpec.template);
    structStatus(job);
  },
  'rbac.authorization.k8s.io/v1/RoleBinding': binding => {
    for (const subject of Array.isArray(binding.subjects)
      ? binding.subjects
      : []) {
      if (!isObject(subject) || subject.apiGroup !== undefined) continue;
      if (subject.kind === 'User' || subject.kind === 'Group') {
        subject.apiGroup = 'rbac.authorization.k8s.io';
      }
    }
  },
};

/**
 * A built-in object as kube-apiserver would store it: decoded and encoded
 * like Go (empty `omitempty` fields gone), then defaulted. Kinds without
 * defaults only get the Go encoding.
 */
export function defaultBuiltinObject(
  object: KubeObject,
  context: DefaultingContext,
): KubeObject {
  // The encoding copies every struct and list it keeps, so the defaults
  // below never touch the caller's object (they replace maps, never edit them).
  const encoded = reencodeLikeGo(object) as KubeObject;
  encoded.metadata ??= {};
  DEFAULTS[`${object.apiVersion}/${object.kind}`]?.(encoded, context);
  return encoded;
}
