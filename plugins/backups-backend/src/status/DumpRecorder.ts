import * as k8s from '@kubernetes/client-node';
import { DumpRecordStore } from '../database/DumpRecordStore';
import { dumpRecordOfPod } from './dumpRecords';

const REMEMBERED = 50_000;

/**
 * Records the dumps finished dump pods report, once each: a pod's later
 * events (its deletion by the CronJob's history limit, a relist) are not
 * recorded again, and records are written one at a time so that a burst of
 * pods (a backend that starts, a cluster that catches up) never floods the
 * database's connection pool.
 */
export class DumpRecorder {
  private readonly recorded = new Set<string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: {
      dumps: DumpRecordStore;
      now: () => Date;
      logger: { warn(message: string): void };
    },
  ) {}

  /** A pod change of a cluster; anything but a finished dump pod is ignored. */
  seen(cluster: string, pod: k8s.KubernetesObject): void {
    const record = dumpRecordOfPod(cluster, pod);
    if (!record) return;
    const key = `${cluster}/${record.namespace}/${record.podName}`;
    if (this.recorded.has(key)) return;
    if (this.recorded.size >= REMEMBERED) this.recorded.clear();
    this.recorded.add(key);
    this.queue = this.queue
      .then(() => this.options.dumps.record(record, this.options.now()))
      .catch(error => {
        this.recorded.delete(key);
        this.options.logger.warn(
          `Could not record the dump of pod ${record.namespace}/${record.podName} in ${cluster}: ${error}`,
        );
      });
  }

  /** Resolves when every dump seen so far is written. */
  flushed(): Promise<void> {
    return this.queue;
  }
}
