import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  EntityStatus,
  RestorePoint,
} from '@backups-for-backstage/plugin-backups-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { backupsApiRef } from '../../api';

/** How often the tab refreshes while a backup runs. */
export const POLL_INTERVAL_MS = 2000;
/** How long it keeps refreshing after Back up now, at most. */
export const POLL_AFTER_START_MS = 3 * 60 * 1000;

export interface EntityBackups {
  status?: EntityStatus;
  restorePoints: RestorePoint[];
  error?: Error;
  loading: boolean;
  /** Refresh now, then every few seconds until nothing runs (Back up now). */
  watch(): void;
}

/**
 * The entity's status and restore points, refreshed every few seconds while
 * something runs, so that a new restore point shows when it lands.
 */
export function useEntityBackups(entity: CompoundEntityRef): EntityBackups {
  const backupsApi = useApi(backupsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const [state, setState] = useState<{
    status?: EntityStatus;
    restorePoints: RestorePoint[];
    error?: Error;
    loading: boolean;
  }>({ restorePoints: [], loading: true });
  const [watchUntil, setWatchUntil] = useState(0);
  const [generation, setGeneration] = useState(0);
  // On-demand restore points held when Back up now was pressed: one more
  // means it landed.
  const onDemandAtWatch = useRef<number | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    Promise.all([
      backupsApi.getStatus(entity, { signal: controller.signal }),
      backupsApi.getRestorePoints(entity, { signal: controller.signal }),
    ]).then(
      ([status, points]) => {
        if (controller.signal.aborted) return;
        setState({
          status,
          restorePoints: points.restorePoints,
          loading: false,
        });
        const running = status.layers.some(layer => layer.running);
        const onDemand = points.restorePoints.filter(
          point => point.onDemand && point.good,
        ).length;
        const landed =
          onDemandAtWatch.current !== undefined &&
          onDemand > onDemandAtWatch.current;
        if (landed) onDemandAtWatch.current = undefined;
        const waiting =
          onDemandAtWatch.current !== undefined && Date.now() < watchUntil;
        if (running || waiting) {
          timer = setTimeout(
            () => setGeneration(value => value + 1),
            POLL_INTERVAL_MS,
          );
        }
      },
      error => {
        if (controller.signal.aborted) return;
        setState(previous => ({ ...previous, error, loading: false }));
      },
    );
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
    // `entity` is keyed by its ref: a new object for the same entity is no change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [backupsApi, entityRef, generation, watchUntil]);

  const watch = useCallback(() => {
    onDemandAtWatch.current = state.restorePoints.filter(
      point => point.onDemand && point.good,
    ).length;
    setWatchUntil(Date.now() + POLL_AFTER_START_MS);
  }, [state.restorePoints]);

  return { ...state, watch };
}
