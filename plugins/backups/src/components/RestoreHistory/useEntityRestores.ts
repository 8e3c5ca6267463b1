import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  RestoreRecord,
  restoreSignalChannel,
} from '@backups-for-backstage/plugin-backups-common';
import { useCallback, useEffect, useState } from 'react';
import { backupsApiRef } from '../../api';

/** How often the restores refresh while one runs, when the portal has no signals. */
export const RESTORE_POLL_INTERVAL_MS = 2000;

export interface EntityRestores {
  restores: RestoreRecord[];
  error?: Error;
  loading: boolean;
  /** Reload now (e.g. after starting one). */
  refresh(): void;
}

/**
 * An entity's restores, newest first: reloaded whenever the backend signals
 * that one advanced, or every few seconds while one runs in a portal without
 * the signals plugin.
 */
export function useEntityRestores(entity: CompoundEntityRef): EntityRestores {
  const backupsApi = useApi(backupsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { lastSignal, isSignalsAvailable } = useSignal(
    restoreSignalChannel(entityRef),
  );
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<{
    restores: RestoreRecord[];
    error?: Error;
    loading: boolean;
  }>({ restores: [], loading: true });

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    backupsApi.listRestores(entity, { signal: controller.signal }).then(
      ({ restores }) => {
        if (controller.signal.aborted) return;
        setState({ restores, loading: false });
        if (
          !isSignalsAvailable &&
          restores.some(restore => restore.state === 'running')
        ) {
          timer = setTimeout(
            () => setGeneration(value => value + 1),
            RESTORE_POLL_INTERVAL_MS,
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
  }, [backupsApi, entityRef, generation, lastSignal, isSignalsAvailable]);

  const refresh = useCallback(() => setGeneration(value => value + 1), []);
  return { ...state, refresh };
}
