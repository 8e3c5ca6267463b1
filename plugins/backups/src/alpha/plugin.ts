import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { backupsApi } from './apis';
import { backupsEntityContent } from './entityContent';

/**
 * The Backups plugin for the new frontend system: the backups API and the
 * Backups tab of entity pages.
 *
 * @alpha
 */
export const backupsPlugin = createFrontendPlugin({
  pluginId: 'backups',
  title: 'Backups',
  info: { packageJson: () => import('../../package.json') },
  extensions: [backupsApi, backupsEntityContent],
});
