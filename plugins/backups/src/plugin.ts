import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { backupsApiRef, BackupsClient } from './api';
import { fleetRouteRef, rootRouteRef } from './routes';

/**
 * The Backups plugin, for apps on the legacy frontend system.
 *
 * @public
 */
export const backupsPlugin = createPlugin({
  id: 'backups',
  apis: [
    createApiFactory({
      api: backupsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new BackupsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    fleet: fleetRouteRef,
  },
});

/**
 * The Backups tab of an entity page (legacy frontend system). Mount it in an
 * `EntityLayout.Route`, e.g. with `if={isBackupsAvailable}`.
 *
 * @public
 */
export const EntityBackupsContent = backupsPlugin.provide(
  createRoutableExtension({
    name: 'EntityBackupsContent',
    component: () =>
      import('./components/EntityBackupsContent').then(
        m => m.EntityBackupsContent,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The entity's protection at a glance, for its overview page (legacy
 * frontend system): state, newest good backup, RPO.
 *
 * @public
 */
export const EntityBackupStatusCard = backupsPlugin.provide(
  createComponentExtension({
    name: 'EntityBackupStatusCard',
    component: {
      lazy: () =>
        import('./components/EntityBackupStatusCard').then(
          m => m.EntityBackupStatusCard,
        ),
    },
  }),
);

/**
 * The fleet page (legacy frontend system): mount it on a route, e.g.
 * `<Route path="/backups" element={<BackupsPage />} />`.
 *
 * @public
 */
export const BackupsPage = backupsPlugin.provide(
  createRoutableExtension({
    name: 'BackupsPage',
    component: () =>
      import('./components/BackupsPage').then(m => m.BackupsPage),
    mountPoint: fleetRouteRef,
  }),
);
