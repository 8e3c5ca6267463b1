/** Messages between the benchmark and its worker threads. */

export const VELERO_NAMESPACE = 'velero';

export interface BenchEntity {
  namespace: string;
  name: string;
}

export type SandboxRequest =
  | { type: 'start'; entities: BenchEntity[] }
  | { type: 'seedBackups'; perSchedule: number }
  | { type: 'setLatency'; ms: number }
  | { type: 'startBackup'; schedule: string; name: string }
  | { type: 'completeBackup'; name: string }
  | { type: 'countRequests' }
  | { type: 'stop' };

export type SandboxResponse =
  | { type: 'started'; url: string; token: string }
  | { type: 'count'; count: number }
  | { type: 'completed'; at: number }
  | { type: 'ok' };

export interface LoadRequest {
  urls: string[];
  headers: Record<string, string>;
  requests: number;
  concurrency: number;
}

export interface LoadResponse {
  /** Milliseconds per request, in the order they finished. */
  latencies: number[];
  elapsedMs: number;
  /** Answers other than 200, by status ("network" when there was none). */
  failures: Record<string, number>;
}
