import { useSignal } from '@backstage/plugin-signals-react';
import { useCallback, useEffect, useState } from 'react';

/** How often the records refresh while one runs, when the portal has no signals. */
export const RECORD_POLL_INTERVAL_MS = 2000;

export interface SignalledRecords<T> {
  records: T[];
  error?: Error;
  loading: boolean;
  /** Reload now (e.g. after starting one). */
  refresh(): void;
}

/**
 * Records of an entity (restores, drills), newest first: reloaded whenever
 * the backend signals on `channel` that one advanced, or every few seconds
 * while one runs in a portal without the signals plugin.
 */
export function useSignalledRecords<T extends { state: string }>(options: {
  channel: string;
  /** Changes when what is loaded changes (the entity ref). */
  key: string;
  load(signal: AbortSignal): Promise<T[]>;
}): SignalledRecords<T> {
  const { lastSignal, isSignalsAvailable } = useSignal(options.channel);
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<{
    records: T[];
    error?: Error;
    loading: boolean;
  }>({ records: [], loading: true });

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    options.load(controller.signal).then(
      records => {
        if (controller.signal.aborted) return;
        setState({ records, loading: false });
        if (!isSignalsAvailable && records.some(r => r.state === 'running')) {
          timer = setTimeout(
            () => setGeneration(value => value + 1),
            RECORD_POLL_INTERVAL_MS,
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
    // `load` is a new function on every render; `key` says what it loads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [options.key, generation, lastSignal, isSignalsAvailable]);

  const refresh = useCallback(() => setGeneration(value => value + 1), []);
  return { ...state, refresh };
}
