import { ObjectRef } from '@backups-for-backstage/plugin-backups-common';
import * as k8s from '@kubernetes/client-node';
import { ENTITY_REF_ANNOTATION } from '@backups-for-backstage/plugin-backups-common';

export type { ObjectRef };

/** Managed objects keyed by `keyOf(refOf(object))`. */
export type LiveObjects = Map<string, k8s.KubernetesObject>;

/** The identity of an object, as written in a plan or read from a cluster. */
export function refOf(object: {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}): ObjectRef {
  return {
    apiVersion: object.apiVersion!,
    kind: object.kind!,
    ...(object.metadata?.namespace
      ? { namespace: object.metadata.namespace }
      : {}),
    name: object.metadata!.name!,
  };
}

export function keyOf(ref: ObjectRef): string {
  return `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

/** The HTTP status of a client-node ApiException, if it is one. */
export function statusCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A one-line description of a failed request, with the server's message. */
export function errorMessage(error: unknown): string {
  const code = statusCode(error);
  if (code !== undefined) {
    const body = (error as { body?: unknown }).body;
    let message: string | undefined;
    if (typeof body === 'string') {
      try {
        message = JSON.parse(body)?.message;
      } catch {
        message = body;
      }
    } else if (body && typeof body === 'object') {
      message = (body as { message?: string }).message;
    }
    return `HTTP ${code}${message ? `: ${message}` : ''}`;
  }
  // A watch that failed to start: client-node's Watch sets statusCode.
  const watchStatus = (error as { statusCode?: unknown })?.statusCode;
  if (typeof watchStatus === 'number' && error instanceof Error) {
    return `HTTP ${watchStatus}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Groups managed objects by the full entity ref their annotation names. */
export function groupByEntity(
  objects: k8s.KubernetesObject[],
): Map<string, LiveObjects> {
  const byEntity = new Map<string, LiveObjects>();
  for (const object of objects) {
    const entityRef = object.metadata?.annotations?.[ENTITY_REF_ANNOTATION];
    if (!entityRef) continue;
    let live = byEntity.get(entityRef);
    if (!live) {
      live = new Map();
      byEntity.set(entityRef, live);
    }
    live.set(keyOf(refOf(object)), object);
  }
  return byEntity;
}
