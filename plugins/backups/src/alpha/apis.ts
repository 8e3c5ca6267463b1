import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { backupsApiRef, BackupsClient } from '../api';

/**
 * The {@link BackupsApi} for the new frontend system.
 *
 * @alpha
 */
export const backupsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: backupsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new BackupsClient({ discoveryApi, fetchApi }),
    }),
});
