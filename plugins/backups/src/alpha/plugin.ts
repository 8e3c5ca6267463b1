import { convertLegacyRouteRefs } from '@backstage/core-compat-api';
import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { fleetRouteRef } from '../routes';
import { backupsApi } from './apis';
import { backupsEntityCard } from './entityCard';
import { backupsEntityContent } from './entityContent';
import { backupsPage } from './page';

/**
 * The Backups plugin for the new frontend system: the backups API, the
 * Backups tab and status card of entity pages, and the fleet page.
 *
 * @alpha
 */
export const backupsPlugin = createFrontendPlugin({
  pluginId: 'backups',
  title: 'Backups',
  info: { packageJson: () => import('../../package.json') },
  routes: convertLegacyRouteRefs({ fleet: fleetRouteRef }),
  extensions: [
    backupsApi,
    backupsEntityContent,
    backupsEntityCard,
    backupsPage,
  ],
});
