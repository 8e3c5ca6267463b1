/**
 * Errors answered as Kubernetes `Status` objects, with the reasons and codes
 * kube-apiserver uses.
 */
export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Gone'
  | 'Expired'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** How kube-apiserver names a resource in messages: `schedules.velero.io`, `pods`. */
export interface ResourceName {
  plural: string;
  group: string;
  kind: string;
}

function qualified(resource: ResourceName) {
  return resource.group
    ? `${resource.plural}.${resource.group}`
    : resource.plural;
}

/** Status details leave the core group's empty name out, as the real server does. */
function groupOf(resource: ResourceName) {
  return resource.group ? { group: resource.group } : {};
}

export const errors = {
  notFound(resource: ResourceName, name: string) {
    return new ApiError(
      404,
      'NotFound',
      `${qualified(resource)} "${name}" not found`,
      {
        name,
        ...groupOf(resource),
        kind: resource.plural,
      },
    );
  },
  alreadyExists(resource: ResourceName, name: string) {
    return new ApiError(
      409,
      'AlreadyExists',
      `${qualified(resource)} "${name}" already exists`,
      { name, ...groupOf(resource), kind: resource.plural },
    );
  },
  conflict(resource: ResourceName, name: string, why: string) {
    return new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(
        resource,
      )} "${name}": ${why}`,
      { name, ...groupOf(resource), kind: resource.plural },
    );
  },
  invalid(
    resource: ResourceName,
    name: string,
    causes: Array<{ field: string; reason: string; message: string }>,
  ) {
    const kind = resource.group
      ? `${resource.kind}.${resource.group}`
      : resource.kind;
    const list = causes.map(cause => `${cause.field}: ${cause.message}`);
    const joined = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    return new ApiError(
      422,
      'Invalid',
      `${kind} "${name}" is invalid: ${joined}`,
      {
        name,
        ...groupOf(resource),
        kind: resource.kind,
        causes: causes.map(cause => ({
          reason: cause.reason,
          message: cause.message,
          field: cause.field,
        })),
      },
    );
  },
  notFoundPath(path: string) {
    return new ApiError(
      404,
      'NotFound',
      `the server could not find the requested resource (${path})`,
    );
  },
  badRequest(message: string) {
    return new ApiError(400, 'BadRequest', message);
  },
  gone(message: string) {
    return new ApiError(410, 'Expired', message);
  },
  unauthorized() {
    return new ApiError(401, 'Unauthorized', 'Unauthorized');
  },
  forbidden(
    user: string,
    verb: string,
    resource: ResourceName,
    namespace?: string,
  ) {
    const scope = namespace
      ? ` in the namespace "${namespace}"`
      : ' at the cluster scope';
    return new ApiError(
      403,
      'Forbidden',
      `${qualified(
        resource,
      )} is forbidden: User "${user}" cannot ${verb} resource "${
        resource.plural
      }" in API group "${resource.group}"${scope}`,
      { ...groupOf(resource), kind: resource.plural },
    );
  },
  methodNotAllowed(
    message = 'the server does not allow this method on the requested resource',
  ) {
    return new ApiError(405, 'MethodNotAllowed', message);
  },
  unsupportedMediaType(contentType: string) {
    return new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${contentType})`,
    );
  },
  unprocessablePatch(message: string) {
    return new ApiError(
      422,
      'Invalid',
      `the server rejected our request due to an error in our request: ${message}`,
    );
  },
  internal(message: string) {
    return new ApiError(
      500,
      'InternalError',
      `Internal error occurred: ${message}`,
    );
  },
  unavailable(message: string) {
    return new ApiError(503, 'ServiceUnavailable', message);
  },
};
