/*
 * The example portal's permission policy (SPEC.md, "Permissions"): everyone
 * reads; the owners of a component back it up and restore it to a new
 * namespace; only members of group:default/admins restore in place, reconcile
 * and run drills. Everything outside the Backups plugin is allowed, as the
 * allow-all policy did.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  backupsBackupCreatePermission,
  backupsEntityReadPermission,
  backupsRestoreCreatePermission,
} from '@backups-for-backstage/plugin-backups-common';
import {
  backupsConditions,
  createBackupsConditionalDecision,
} from '@backups-for-backstage/plugin-backups-backend/alpha';

/** The group whose members may do everything. */
export const ADMINS_GROUP = 'group:default/admins';

const FOR_EVERYONE = new Set([backupsEntityReadPermission.name]);
const FOR_OWNERS = new Set([
  backupsBackupCreatePermission.name,
  backupsRestoreCreatePermission.name,
]);

export class ExamplePermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith('backups.')) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (FOR_EVERYONE.has(permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (claims.includes(ADMINS_GROUP)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (
      FOR_OWNERS.has(permission.name) &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      return createBackupsConditionalDecision(
        permission,
        backupsConditions.isEntityOwner({ claims }),
      );
    }
    // Restoring in place, reconciling and drills are for admins only, as is
    // any backups permission this policy does not know yet.
    return { result: AuthorizeResult.DENY };
  }
}

export const examplePermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'backups-example-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new ExamplePermissionPolicy());
      },
    });
  },
});
