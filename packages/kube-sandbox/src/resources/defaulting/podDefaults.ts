/**
 * kube-apiserver's defaulting of pod specs and pod templates
 * (k8s.io/kubernetes pkg/apis/core/v1/defaults.go, SetDefaults_PodSpec,
 * SetDefaults_Container, SetDefaults_Volume and friends, and the declarative
 * `+default` tags of k8s.io/api core/v1, as of v1.32), plus what the v1
 * conversion and serializer add: `serviceAccount` mirrors
 * `serviceAccountName`, a template's `metadata.creationTimestamp` is null.
 */

type Fields = Record<string, any>;

const DEFAULT_FILE_MODE = 0o644; // 420, the default mode of projected files

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setDefault(object: Fields, key: string, value: unknown) {
  if (object[key] === undefined || object[key] === '') object[key] = value;
}

/** The tag of an image reference, as parsers.ParseImageName reads it ('latest' when none). */
export function imageTag(image: string): string {
  const withoutDigest = image.split('@')[0];
  if (
    image.includes('@') &&
    !withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1).includes(':')
  ) {
    return ''; // a digest without a tag
  }
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon === -1 ? 'latest' : lastSegment.slice(colon + 1);
}

function defaultProbe(probe: unknown) {
  if (!isObject(probe)) return;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  if (isObject(probe.httpGet)) {
    setDefault(probe.httpGet, 'path', '/');
    setDefault(probe.httpGet, 'scheme', 'HTTP');
  }
  if (isObject(probe.grpc)) setDefault(probe.grpc, 'service', '');
}

function defaultEnv(env: unknown) {
  if (!Array.isArray(env)) return;
  for (const variable of env) {
    const fieldRef = variable?.valueFrom?.fieldRef;
    if (isObject(fieldRef)) setDefault(fieldRef, 'apiVersion', 'v1');
  }
}

function defaultLifecycleHandler(handler: unknown) {
  if (isObject(handler) && isObject(handler.httpGet)) {
    setDefault(handler.httpGet, 'path', '/');
    setDefault(handler.httpGet, 'scheme', 'HTTP');
  }
}

/** SetDefaults_Container, for containers, init and ephemeral containers. */
export function defaultContainer(container: unknown) {
  if (!isObject(container)) return;
  if (!container.imagePullPolicy && typeof container.image === 'string') {
    container.imagePullPolicy =
      imageTag(container.image) === 'latest' ? 'Always' : 'IfNotPresent';
  }
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  for (const port of Array.isArray(container.ports) ? container.ports : []) {
    if (isObject(port)) setDefault(port, 'protocol', 'TCP');
  }
  defaultEnv(container.env);
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  if (isObject(container.lifecycle)) {
    defaultLifecycleHandler(container.lifecycle.postStart);
    defaultLifecycleHandler(container.lifecycle.preStop);
  }
}

function defaultDownwardApiItems(items: unknown) {
  for (const item of Array.isArray(items) ? items : []) {
    if (isObject(item?.fieldRef)) setDefault(item.fieldRef, 'apiVersion', 'v1');
  }
}

/** SetDefaults_Volume and the volume sources' defaults. */
export function defaultVolume(volume: unknown) {
  if (!isObject(volume)) return;
  const sources = Object.keys(volume).filter(key => key !== 'name');
  if (sources.length === 0) volume.emptyDir = {};
  if (isObject(volume.secret)) {
    setDefault(volume.secret, 'defaultMode', DEFAULT_FILE_MODE);
  }
  if (isObject(volume.configMap)) {
    setDefault(volume.configMap, 'defaultMode', DEFAULT_FILE_MODE);
  }
  if (isObject(volume.downwardAPI)) {
    setDefault(volume.downwardAPI, 'defaultMode', DEFAULT_FILE_MODE);
    defaultDownwardApiItems(volume.downwardAPI.items);
  }
  if (isObject(volume.projected)) {
    setDefault(volume.projected, 'defaultMode', DEFAULT_FILE_MODE);
    for (const source of Array.isArray(volume.projected.sources)
      ? volume.projected.sources
      : []) {
      if (isObject(source?.serviceAccountToken)) {
        setDefault(source.serviceAccountToken, 'expirationSeconds', 3600);
      }
      if (isObject(source?.downwardAPI)) {
        defaultDownwardApiItems(source.downwardAPI.items);
      }
    }
  }
  if (isObject(volume.hostPath)) setDefault(volume.hostPath, 'type', '');
  if (isObject(volume.ephemeral?.volumeClaimTemplate?.spec)) {
    setDefault(
      volume.ephemeral.volumeClaimTemplate.spec,
      'volumeMode',
      'Filesystem',
    );
  }
}

/** SetDefaults_PodSpec (and the defaults of what it holds). */
export function defaultPodSpec(spec: unknown) {
  if (!isObject(spec)) return;
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'restartPolicy', 'Always');
  if (spec.securityContext === undefined) spec.securityContext = {};
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'schedulerName', 'default-scheduler');
  // The v1 conversion keeps the deprecated serviceAccount in step.
  if (spec.serviceAccountName && !spec.serviceAccount) {
    spec.serviceAccount = spec.serviceAccountName;
  } else if (spec.serviceAccount && !spec.serviceAccountName) {
    spec.serviceAccountName = spec.serviceAccount;
  }
  for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const container of Array.isArray(spec[key]) ? spec[key] : []) {
      defaultContainer(container);
    }
  }
  for (const volume of Array.isArray(spec.volumes) ? spec.volumes : []) {
    defaultVolume(volume);
  }
}

/** An embedded ObjectMeta as Go encodes its zero creationTimestamp. */
export function defaultTemplateMetadata(template: Fields) {
  if (!isObject(template.metadata)) template.metadata = {};
  if (template.metadata.creationTimestamp === undefined) {
    template.metadata.creationTimestamp = null;
  }
}

/** A PodTemplateSpec inside a Deployment, StatefulSet, Job or CronJob. */
export function defaultPodTemplate(template: unknown) {
  if (!isObject(template)) return;
  defaultTemplateMetadata(template);
  if (!isObject(template.spec)) template.spec = {};
  defaultPodSpec(template.spec);
}

/** SetDefaults_Pod: what a Pod gets beyond its spec's defaults. */
export function defaultPod(pod: Fields) {
  const spec = pod.spec;
  if (!isObject(spec)) return;
  for (const key of ['containers', 'initContainers']) {
    for (const container of Array.isArray(spec[key]) ? spec[key] : []) {
      const resources = container?.resources;
      if (isObject(resources?.limits)) {
        resources.requests = {
          ...resources.limits,
          ...(resources.requests ?? {}),
        };
      }
    }
  }
  if (spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
  if (spec.hostNetwork === true) {
    for (const key of ['containers', 'initContainers']) {
      for (const container of Array.isArray(spec[key]) ? spec[key] : []) {
        for (const port of Array.isArray(container?.ports)
          ? container.ports
          : []) {
          if (isObject(port) && !port.hostPort)
            port.hostPort = port.containerPort;
        }
      }
    }
  }
  defaultPodSpec(spec);
}
