/** Identifies one Kubernetes object. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

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

/**
 * The dotted paths where the live object differs from the desired one.
 * Objects are compared by the desired object's own keys (the server adds
 * defaults and status); arrays and scalars are compared whole.
 */
export function differingPaths(
  desired: unknown,
  live: unknown,
  path = '',
): string[] {
  if (
    desired &&
    typeof desired === 'object' &&
    !Array.isArray(desired) &&
    !(desired instanceof Date)
  ) {
    if (!live || typeof live !== 'object' || Array.isArray(live)) {
      return [path || '.'];
    }
    return Object.entries(desired as Record<string, unknown>).flatMap(
      ([key, value]) =>
        value === undefined
          ? []
          : differingPaths(
              value,
              (live as Record<string, unknown>)[key],
              path ? `${path}.${key}` : key,
            ),
    );
  }
  return deepEqual(desired, live) ? [] : [path || '.'];
}

/** Whether every field the desired value sets equals the live value. */
export function matchesDesired(desired: unknown, live: unknown): boolean {
  return differingPaths(desired, live).length === 0;
}

function normalize(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

function definedKeys(value: object): string[] {
  return Object.keys(value).filter(
    key => (value as Record<string, unknown>)[key] !== undefined,
  );
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) {
    return (
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => deepEqual(item, b[index]))
    );
  }
  if (a && typeof a === 'object' && !(a instanceof Date)) {
    if (!b || typeof b !== 'object' || Array.isArray(b)) return false;
    const aKeys = definedKeys(a);
    return (
      aKeys.length === definedKeys(b).length &&
      aKeys.every(key =>
        deepEqual(
          (a as Record<string, unknown>)[key],
          (b as Record<string, unknown>)[key],
        ),
      )
    );
  }
  return normalize(a) === normalize(b);
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
  return error instanceof Error ? error.message : String(error);
}
