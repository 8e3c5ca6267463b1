import { SignalApi } from '@backstage/plugin-signals-react';

/** Signals as the signals plugin delivers them, driven by the test. */
export function testSignals() {
  const listeners = new Map<string, Set<(message: any) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const set = listeners.get(channel) ?? new Set();
      set.add(onMessage as (message: any) => void);
      listeners.set(channel, set);
      return { unsubscribe: () => set.delete(onMessage as any) };
    },
  };
  return {
    api,
    send(channel: string, message: object) {
      listeners.get(channel)?.forEach(listener => listener(message));
    },
  };
}

/** The test double's type, for render helpers that take one. */
export type TestSignals = ReturnType<typeof testSignals>;
