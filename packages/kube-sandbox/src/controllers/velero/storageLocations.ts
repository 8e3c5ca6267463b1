import { StoreEvent } from '../../store/ObjectStore';
import {
  Controller,
  ControllerRuntime,
  Fields,
  keyOf,
  sameResource,
} from '../runtime';
import { phaseOf, VeleroKinds } from './common';

/**
 * Velero's BackupStorageLocation controller, simulated: a location is
 * validated once (phase Available, `lastValidationTime`) unless a fixture
 * seeded its phase; `setAvailable` switches it to Unavailable (with a
 * `message`) or back. Locations becoming Available let expired Backups be
 * garbage-collected.
 */
export function storageLocationController(
  rt: ControllerRuntime,
  kinds: VeleroKinds,
  onAvailable: (namespace: string, name: string) => void,
): Controller & {
  setAvailable(namespace: string, name: string, available: boolean): void;
} {
  const { locations } = kinds;
  const overrides = new Map<string, boolean>();

  const enqueue = (namespace: string, name: string) =>
    rt.enqueue(`bsl/${namespace}/${name}`, () => reconcile(namespace, name));

  function reconcile(namespace: string, name: string) {
    const location = rt.store.get(locations, namespace, name);
    if (!location || location.metadata.deletionTimestamp) return;
    const status = { ...((location.status ?? {}) as Fields) };
    const override = overrides.get(`${namespace}/${name}`);
    const current = phaseOf(location);
    let phase = current || 'Available';
    if (override !== undefined) phase = override ? 'Available' : 'Unavailable';
    if (phase === current && status.lastValidationTime) return;
    status.phase = phase;
    status.lastValidationTime = rt.timestamp();
    if (phase === 'Unavailable') {
      status.message = `BackupStorageLocation "${name}" is unavailable: rpc error: code = Unknown desc = the storage is unreachable (kube-sandbox fault injection)`;
    } else {
      delete status.message;
    }
    rt.replace(locations, { ...location, status });
    if (phase === 'Available' && current !== 'Available')
      onAvailable(namespace, name);
  }

  return {
    setAvailable(namespace: string, name: string, available: boolean) {
      overrides.set(`${namespace}/${name}`, available);
      enqueue(namespace, name);
    },
    onEvent(event: StoreEvent) {
      if (!sameResource(locations, event.resource) || event.type === 'DELETED')
        return;
      enqueue(event.object.metadata.namespace!, event.object.metadata.name!);
    },
    resync() {
      for (const location of rt.store.objects(locations)) {
        rt.enqueue(`bsl/${keyOf(location)}`, () =>
          reconcile(location.metadata.namespace!, location.metadata.name!),
        );
      }
    },
  };
}
