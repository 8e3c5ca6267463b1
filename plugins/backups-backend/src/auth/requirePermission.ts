import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * Throws NotAllowedError unless the caller holds `permission` on the entity.
 * Conditional decisions (e.g. "owned by the caller") are resolved by the
 * permission framework against the catalog, the owner of the resource type.
 */
export async function requirePermission(options: {
  permissions: PermissionsService;
  credentials: BackstageCredentials;
  permission: ResourcePermission<'catalog-entity'>;
  entityRef: string;
}): Promise<void> {
  const { permissions, credentials, permission, entityRef } = options;
  const [decision] = await permissions.authorize(
    [{ permission, resourceRef: entityRef }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `${permission.name} is not allowed on ${entityRef}`,
    );
  }
}

/**
 * The entity refs among `entityRefs` on which the caller holds every one of
 * `permissions` (one batch).
 */
export async function allowedEntityRefs(options: {
  permissions: PermissionsService;
  credentials: BackstageCredentials;
  permission:
    | ResourcePermission<'catalog-entity'>
    | ResourcePermission<'catalog-entity'>[];
  entityRefs: string[];
}): Promise<Set<string>> {
  const { permissions, credentials, entityRefs } = options;
  if (entityRefs.length === 0) return new Set();
  const wanted = [options.permission].flat();
  const decisions = await permissions.authorize(
    wanted.flatMap(permission =>
      entityRefs.map(resourceRef => ({ permission, resourceRef })),
    ),
    { credentials },
  );
  return new Set(
    entityRefs.filter((_ref, index) =>
      wanted.every(
        (_permission, which) =>
          decisions[which * entityRefs.length + index].result ===
          AuthorizeResult.ALLOW,
      ),
    ),
  );
}
