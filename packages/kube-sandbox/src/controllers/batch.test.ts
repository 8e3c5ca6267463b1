import { KubeObject } from '../resources/types';
import { JobOutcome } from './jobs';
import {
  createTestCluster,
  MINUTE,
  TestCluster,
} from './__testUtils__/testCluster';

const status = (object: KubeObject | undefined) =>
  (object?.status ?? {}) as Record<string, any>;

function cronJob(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'orders' },
    spec: {
      schedule: '*/15 * * * *',
      jobTemplate: {
        metadata: { labels: { 'backups/layer': 'database' } },
        spec: {
          template: {
            metadata: { labels: { app: 'orders-dump' } },
            spec: {
              restartPolicy: 'Never',
              containers: [
                { name: 'dump', image: 'postgres:16', args: ['pg_dump'] },
              ],
            },
          },
        },
      },
      ...spec,
    },
  };
}

function job(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'orders' },
    spec: {
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'dump', image: 'postgres:16' }],
        },
      },
      ...spec,
    },
  };
}

/** `<cronjob>-<scheduled time in minutes since the epoch>`. */
const jobName = (cronJobName: string, iso: string) =>
  `${cronJobName}-${Math.floor(Date.parse(iso) / 60_000)}`;

describe('CronJob, Job and Pod controllers', () => {
  let cluster: TestCluster;
  const jobsOf = () => cluster.list('batch/v1', 'Job', 'orders');
  const podsOf = (jobName_: string) =>
    cluster.list('v1', 'Pod', 'orders', {
      'batch.kubernetes.io/job-name': jobName_,
    });

  afterEach(() => {
    cluster.stop();
  });

  it('creates a Job at each tick, owned and named like the real controller', () => {
    cluster = createTestCluster();
    cluster.apply(cronJob('orders-dump'));
    cluster.advance(15 * MINUTE - 1_000);
    expect(jobsOf()).toEqual([]);
    cluster.advance(1_000); // 09:45
    const name = jobName('orders-dump', '2025-03-10T09:45:00Z');
    const [created] = jobsOf();
    const owner = cluster.get('batch/v1', 'CronJob', 'orders', 'orders-dump')!;
    expect(created.metadata).toMatchObject({
      name,
      labels: { 'backups/layer': 'database' },
      annotations: {
        'batch.kubernetes.io/cronjob-scheduled-timestamp':
          '2025-03-10T09:45:00Z',
      },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: 'orders-dump',
          uid: owner.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    expect(status(owner)).toEqual({
      lastScheduleTime: '2025-03-10T09:45:00Z',
      active: [
        {
          kind: 'Job',
          namespace: 'orders',
          name,
          uid: created.metadata.uid,
          apiVersion: 'batch/v1',
          resourceVersion: expect.any(String),
        },
      ],
    });

    const [pod] = podsOf(name);
    expect(pod.metadata.name).toMatch(
      new RegExp(`^${name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`),
    );
    expect(pod.metadata.labels).toEqual({
      app: 'orders-dump',
      'batch.kubernetes.io/controller-uid': created.metadata.uid,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': created.metadata.uid,
      'job-name': name,
    });
    expect(pod.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Job', name, controller: true }),
    ]);
    expect(status(pod).phase).toBe('Running');
    expect(status(created)).toMatchObject({
      startTime: '2025-03-10T09:45:00Z',
      active: 1,
    });

    cluster.advance(15 * MINUTE); // 10:00
    expect(jobsOf().map(j => j.metadata.name)).toEqual([
      name,
      jobName('orders-dump', '2025-03-10T10:00:00Z'),
    ]);
  });

  it('ends the pod with the termination message jobOutcome decides and completes the Job', () => {
    const report = {
      file: 'orders-20250310-0945.sql.gz',
      bytes: 1048576,
      sha256: 'ab'.repeat(32),
      startedAt: '2025-03-10T09:45:00Z',
      finishedAt: '2025-03-10T09:45:30Z',
    };
    const seen: string[] = [];
    cluster = createTestCluster({
      jobOutcome: j => {
        seen.push(j.metadata.name!);
        return { succeeded: true, terminationMessage: JSON.stringify(report) };
      },
    });
    cluster.apply(cronJob('orders-dump'));
    cluster.advance(15 * MINUTE + 29_000);
    const name = jobName('orders-dump', '2025-03-10T09:45:00Z');
    expect(status(podsOf(name)[0]).phase).toBe('Running');
    cluster.advance(1_000); // 09:45:30
    expect(seen).toEqual([name]);

    const [pod] = podsOf(name);
    expect(status(pod).phase).toBe('Succeeded');
    const terminated = status(pod).containerStatuses[0].state.terminated;
    expect(terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
      startedAt: '2025-03-10T09:45:00Z',
      finishedAt: '2025-03-10T09:45:30Z',
    });
    expect(JSON.parse(terminated.message)).toEqual(report);

    const done = cluster.get('batch/v1', 'Job', 'orders', name)!;
    expect(status(done)).toMatchObject({
      startTime: '2025-03-10T09:45:00Z',
      completionTime: '2025-03-10T09:45:30Z',
      succeeded: 1,
      ready: 0,
    });
    expect(status(done).active).toBeUndefined();
    expect(
      status(done).conditions.map((c: any) => [c.type, c.status, c.reason]),
    ).toEqual([
      ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
      ['Complete', 'True', 'CompletionsReached'],
    ]);
    const owner = cluster.get('batch/v1', 'CronJob', 'orders', 'orders-dump')!;
    expect(status(owner)).toEqual({
      lastScheduleTime: '2025-03-10T09:45:00Z',
      lastSuccessfulTime: '2025-03-10T09:45:30Z',
    });
  });

  it('retries failed pods with back-off and fails the Job past backoffLimit', () => {
    cluster = createTestCluster({
      jobOutcome: () => ({
        succeeded: false,
        terminationMessage: 'pg_dump: connection refused',
      }),
    });
    cluster.apply(job('dump', { backoffLimit: 1 }));
    cluster.advance(30_000); // first pod fails; the next waits 10 s
    expect(podsOf('dump').map(p => status(p).phase)).toEqual(['Failed']);
    const failedPod = podsOf('dump')[0];
    expect(
      status(failedPod).containerStatuses[0].state.terminated,
    ).toMatchObject({
      exitCode: 1,
      reason: 'Error',
      message: 'pg_dump: connection refused',
    });
    cluster.advance(9_000);
    expect(podsOf('dump')).toHaveLength(1);
    cluster.advance(1_000);
    expect(podsOf('dump')).toHaveLength(2);
    cluster.advance(30_000);
    const failed = cluster.get('batch/v1', 'Job', 'orders', 'dump')!;
    expect(status(failed)).toMatchObject({ failed: 2 });
    expect(status(failed).completionTime).toBeUndefined();
    expect(
      status(failed).conditions.map((c: any) => [
        c.type,
        c.status,
        c.reason,
        c.message,
      ]),
    ).toEqual([
      [
        'FailureTarget',
        'True',
        'BackoffLimitExceeded',
        'Job has reached the specified backoff limit',
      ],
      [
        'Failed',
        'True',
        'BackoffLimitExceeded',
        'Job has reached the specified backoff limit',
      ],
    ]);
    cluster.advance(10 * MINUTE);
    expect(podsOf('dump')).toHaveLength(2);
  });

  it('succeeds on a retry when a later attempt succeeds', () => {
    let attempts = 0;
    cluster = createTestCluster({
      jobDurationMs: 5_000,
      jobOutcome: (): JobOutcome => {
        attempts += 1;
        return attempts < 3
          ? { succeeded: false }
          : { succeeded: true, terminationMessage: 'ok' };
      },
    });
    cluster.apply(job('dump'));
    cluster.advance(5_000 + 10_000 + 5_000 + 20_000 + 5_000);
    const done = cluster.get('batch/v1', 'Job', 'orders', 'dump')!;
    expect(status(done)).toMatchObject({ succeeded: 1, failed: 2 });
    expect(
      podsOf('dump')
        .map(p => status(p).phase)
        .sort(),
    ).toEqual(['Failed', 'Failed', 'Succeeded']);
  });

  it('fails a Job that runs past activeDeadlineSeconds and stops its pod', () => {
    cluster = createTestCluster({ jobDurationMs: 10 * MINUTE });
    cluster.apply(job('slow', { activeDeadlineSeconds: 60 }));
    cluster.advance(59_000);
    expect(podsOf('slow')).toHaveLength(1);
    cluster.advance(1_000);
    const failed = cluster.get('batch/v1', 'Job', 'orders', 'slow')!;
    expect(
      status(failed).conditions.map((c: any) => [c.type, c.reason]),
    ).toEqual([
      ['FailureTarget', 'DeadlineExceeded'],
      ['Failed', 'DeadlineExceeded'],
    ]);
    expect(status(failed).failed).toBe(1);
    expect(podsOf('slow')).toEqual([]);
  });

  it('runs Jobs created directly, with generateName', () => {
    cluster = createTestCluster();
    const created = cluster.apply({
      ...job(''),
      metadata: { generateName: 'orders-dump-manual-', namespace: 'orders' },
    });
    cluster.advance(30_000);
    expect(
      status(cluster.get('batch/v1', 'Job', 'orders', created.metadata.name!)),
    ).toMatchObject({
      succeeded: 1,
      completionTime: '2025-03-10T09:30:30Z',
    });
  });

  it('keeps successfulJobsHistoryLimit and failedJobsHistoryLimit finished Jobs, and their pods', async () => {
    let fail = false;
    cluster = createTestCluster({
      jobDurationMs: 10_000,
      jobOutcome: () => ({ succeeded: !fail }),
    });
    cluster.apply(
      cronJob('every-minute', {
        schedule: '* * * * *',
        successfulJobsHistoryLimit: 2,
        jobTemplate: {
          spec: {
            backoffLimit: 0,
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [{ name: 'c', image: 'busybox' }],
              },
            },
          },
        },
      }),
    );
    cluster.advance(5 * MINUTE + 30_000); // Jobs at 09:31 … 09:35, all finished
    await cluster.settle();
    expect(jobsOf().map(j => j.metadata.name)).toEqual([
      jobName('every-minute', '2025-03-10T09:34:00Z'),
      jobName('every-minute', '2025-03-10T09:35:00Z'),
    ]);
    expect(cluster.list('v1', 'Pod', 'orders')).toHaveLength(2);

    fail = true;
    cluster.advance(3 * MINUTE); // 09:36 … 09:38 fail; default failedJobsHistoryLimit is 1
    await cluster.settle();
    const byResult = jobsOf().map(j => [
      j.metadata.name,
      status(j).succeeded ? 'ok' : 'failed',
    ]);
    expect(byResult).toEqual([
      [jobName('every-minute', '2025-03-10T09:34:00Z'), 'ok'],
      [jobName('every-minute', '2025-03-10T09:35:00Z'), 'ok'],
      [jobName('every-minute', '2025-03-10T09:38:00Z'), 'failed'],
    ]);
    expect(cluster.list('v1', 'Pod', 'orders')).toHaveLength(3);
  });

  it('with Forbid, skips ticks while a Job runs, then starts the most recent missed one', () => {
    cluster = createTestCluster({ jobDurationMs: 150_000 });
    cluster.apply(
      cronJob('forbid', { schedule: '* * * * *', concurrencyPolicy: 'Forbid' }),
    );
    cluster.advance(MINUTE); // 09:31: first Job, runs until 09:33:30
    cluster.advance(2 * MINUTE); // 09:32 and 09:33 skipped
    expect(jobsOf().map(j => j.metadata.name)).toEqual([
      jobName('forbid', '2025-03-10T09:31:00Z'),
    ]);
    cluster.advance(30_000); // 09:33:30: done; the 09:33 run starts now
    expect(jobsOf().map(j => j.metadata.name)).toEqual([
      jobName('forbid', '2025-03-10T09:31:00Z'),
      jobName('forbid', '2025-03-10T09:33:00Z'),
    ]);
    const active = jobsOf().filter(j => !status(j).conditions);
    expect(active).toHaveLength(1);
  });

  it('with Allow runs Jobs side by side, with Replace replaces the running one', async () => {
    cluster = createTestCluster({ jobDurationMs: 150_000 });
    cluster.apply(cronJob('allow', { schedule: '* * * * *' }));
    cluster.apply(
      cronJob('replace', {
        schedule: '* * * * *',
        concurrencyPolicy: 'Replace',
      }),
    );
    cluster.advance(2 * MINUTE);
    await cluster.settle();
    const names = jobsOf().map(j => j.metadata.name);
    expect(names.filter(n => n!.startsWith('allow-'))).toHaveLength(2);
    expect(names.filter(n => n!.startsWith('replace-'))).toEqual([
      jobName('replace', '2025-03-10T09:32:00Z'),
    ]);
    expect(
      status(cluster.get('batch/v1', 'CronJob', 'orders', 'allow')).active,
    ).toHaveLength(2);
  });

  it('creates no Job for a suspended CronJob', () => {
    cluster = createTestCluster();
    cluster.apply(cronJob('paused', { suspend: true }));
    cluster.advance(2 * 60 * MINUTE);
    expect(jobsOf()).toEqual([]);
  });

  it('honours spec.timeZone', () => {
    cluster = createTestCluster();
    cluster.apply(
      cronJob('paris', { schedule: '0 11 * * *', timeZone: 'Europe/Paris' }),
    );
    cluster.advance(30 * MINUTE); // 10:00 UTC is 11:00 in Paris (CET, +01:00)
    const [created] = jobsOf();
    expect(created.metadata.name).toBe(
      jobName('paris', '2025-03-10T10:00:00Z'),
    );
    expect(
      created.metadata.annotations![
        'batch.kubernetes.io/cronjob-scheduled-timestamp'
      ],
    ).toBe('2025-03-10T11:00:00+01:00');
  });
});
