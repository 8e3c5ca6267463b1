import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The Backups tab of an entity page.
 */
export const rootRouteRef = createRouteRef({
  id: 'backups',
});

/**
 * The fleet page (BackupsPage).
 */
export const fleetRouteRef = createRouteRef({
  id: 'backups:fleet',
});
