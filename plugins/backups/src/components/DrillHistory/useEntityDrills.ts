import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  DrillRecord,
  drillSignalChannel,
} from '@backups-for-backstage/plugin-backups-common';
import { backupsApiRef } from '../../api';
import {
  SignalledRecords,
  useSignalledRecords,
} from '../../utils/useSignalledRecords';

/** An entity's drills, newest first, refreshed as they advance. */
export function useEntityDrills(
  entity: CompoundEntityRef,
): SignalledRecords<DrillRecord> {
  const backupsApi = useApi(backupsApiRef);
  const entityRef = stringifyEntityRef(entity);
  return useSignalledRecords({
    channel: drillSignalChannel(entityRef),
    key: entityRef,
    load: async signal =>
      (await backupsApi.listDrills(entity, { signal })).drills,
  });
}
