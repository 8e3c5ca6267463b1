import { errors } from '../errors';
import { ResourceRegistry } from '../resources/ResourceRegistry';
import { ResourceType } from '../resources/types';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-kube-sandbox',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function apiResource(resource: ResourceType) {
  return {
    name: resource.plural,
    singularName: resource.singular,
    namespaced: resource.namespaced,
    kind: resource.kind,
    verbs: resource.verbs,
    ...(resource.shortNames.length > 0
      ? { shortNames: resource.shortNames }
      : {}),
  };
}

function statusResource(resource: ResourceType) {
  return {
    name: `${resource.plural}/status`,
    singularName: '',
    namespaced: resource.namespaced,
    kind: resource.kind,
    verbs: ['get', 'patch', 'update'],
  };
}

export function legacyVersions() {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [
      { clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' },
    ],
  };
}

function groupEntry(group: string, versions: string[]) {
  const groupVersions = versions.map(version => ({
    groupVersion: `${group}/${version}`,
    version,
  }));
  return {
    name: group,
    versions: groupVersions,
    preferredVersion: groupVersions[0],
  };
}

export function groupList(registry: ResourceRegistry) {
  const groups = [...registry.groups().entries()]
    .filter(([group]) => group !== '')
    .map(([group, versions]) => groupEntry(group, [...versions.keys()]));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroup(registry: ResourceRegistry, group: string) {
  const versions = registry.groups().get(group);
  if (!versions || group === '') {
    throw errors.notFoundPath(`/apis/${group}`);
  }
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    ...groupEntry(group, [...versions.keys()]),
  };
}

export function resourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
) {
  const resources = registry.groups().get(group)?.get(version);
  if (!resources) {
    throw errors.notFoundPath(
      group ? `/apis/${group}/${version}` : `/api/${version}`,
    );
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: resources.flatMap(resource =>
      resource.subresources.status
        ? [apiResource(resource), statusResource(resource)]
        : [apiResource(resource)],
    ),
  };
}
