import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { backupsApiRef, BackupsClient } from './api';
import { rootRouteRef } from './routes';

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
