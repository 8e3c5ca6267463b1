import { errors } from '../errors';
import { ResourceRegistry } from '../resources/ResourceRegistry';
import { ResourceType } from '../resources/types';

/** What a request URL addresses. */
export type RequestTarget =
  | { type: 'version' }
  | { type: 'health' }
  | { type: 'legacyVersions' }
  | { type: 'groupList' }
  | { type: 'group'; group: string }
  | { type: 'resourceList'; group: string; version: string }
  | {
      type: 'resource';
      resource: ResourceType;
      namespace?: string;
      name?: string;
      subresource?: string;
    };

/**
 * Parses `/api/v1/...` and `/apis/<group>/<version>/...` the way kube-apiserver
 * routes them, including `/api/v1/namespaces/<ns>/<plural>/<name>/<sub>`.
 */
export function parseRequestPath(
  pathname: string,
  registry: ResourceRegistry,
): RequestTarget {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (pathname === '/version' || pathname === '/version/')
    return { type: 'version' };
  if (['healthz', 'livez', 'readyz'].includes(parts[0]))
    return { type: 'health' };
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'legacyVersions' };
    [group, version, rest] = ['', parts[1], parts.slice(2)];
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'groupList' };
    if (parts.length === 2) return { type: 'group', group: parts[1] };
    [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
  } else {
    throw errors.notFoundPath(pathname);
  }
  if (rest.length === 0) {
    return { type: 'resourceList', group, version };
  }
  let namespace: string | undefined;
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    registry.find(group, version, rest[2])
  ) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...extra] = rest;
  const resource = registry.find(group, version, plural);
  if (!resource || extra.length > 0) {
    throw errors.notFoundPath(pathname);
  }
  if (
    subresource &&
    !(subresource === 'status' && resource.subresources.status)
  ) {
    throw errors.notFoundPath(pathname);
  }
  return { type: 'resource', resource, namespace, name, subresource };
}
