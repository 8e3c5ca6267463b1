import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  RestoreRecord,
  restoreSignalChannel,
} from '@backups-for-backstage/plugin-backups-common';
import { backupsApiRef } from '../../api';
import {
  SignalledRecords,
  useSignalledRecords,
} from '../../utils/useSignalledRecords';

/** An entity's restores, newest first, refreshed as they advance. */
export function useEntityRestores(
  entity: CompoundEntityRef,
): SignalledRecords<RestoreRecord> {
  const backupsApi = useApi(backupsApiRef);
  const entityRef = stringifyEntityRef(entity);
  return useSignalledRecords({
    channel: restoreSignalChannel(entityRef),
    key: entityRef,
    load: async signal =>
      (await backupsApi.listRestores(entity, { signal })).restores,
  });
}
