/*
 * The example backend: the catalog with the example entities, guest sign-in,
 * permissions (owners and admins, see permissionPolicy.ts), notifications and the Backups plugin.
 */
import { createBackend } from '@backstage/backend-defaults';
import { kubeSandboxPlugin } from './kubeSandbox';
import { examplePermissionPolicyModule } from './permissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(examplePermissionPolicyModule);

backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(import('@backups-for-backstage/plugin-backups-backend'));
backend.add(kubeSandboxPlugin);

backend.start();
