import {
  DATABASE_ENGINES,
  DatabaseEngine,
} from '@backups-for-backstage/plugin-backups-common';
import { TEST_S3_CLIENT_IMAGE } from '../__testUtils__/planContext';
import { PlannedObject } from '../types';
import {
  databaseContext,
  PVC_STORAGE,
  S3_STORAGE,
} from './__testUtils__/databaseContext';
import { dumpEnvironment, EnvVar } from './environment';
import { planDatabaseLayer } from './planDatabaseLayer';
import {
  DUMP_SCRIPTS,
  RESTORE_SCRIPTS,
  S3_DOWNLOAD_SCRIPT,
  S3_UPLOAD_SCRIPT,
} from './scripts';

type Container = {
  name: string;
  image: string;
  command: string[];
  env: EnvVar[];
  [key: string]: unknown;
};
type PodSpec = {
  containers: Container[];
  initContainers?: Container[];
  volumes: Array<Record<string, any>>;
  [key: string]: any;
};

const jobTemplate = (cronJob: PlannedObject): any =>
  (cronJob.spec as any).jobTemplate;
const podSpecOf = (cronJob: PlannedObject): PodSpec =>
  jobTemplate(cronJob).spec.template.spec;
const restorePodSpec = (job: PlannedObject): PodSpec =>
  (job.spec as any).template.spec;
const allContainers = (spec: PodSpec): Container[] => [
  ...(spec.initContainers ?? []),
  ...spec.containers,
];
const containerNamed = (spec: PodSpec, name: string): Container =>
  allContainers(spec).find(c => c.name === name)!;
const envValues = (container: Container): Record<string, string> =>
  Object.fromEntries(
    container.env.flatMap(env =>
      'value' in env ? [[env.name, env.value]] : [],
    ),
  );
const envSecrets = (container: Container) =>
  Object.fromEntries(
    container.env.flatMap(env =>
      'valueFrom' in env ? [[env.name, env.valueFrom.secretKeyRef]] : [],
    ),
  );

/** Names of `$VAR`/`${VAR}` expansions outside double quotes, in sh text. */
function unquotedExpansions(script: string): string[] {
  const found: string[] = [];
  const stack: Array<'double' | 'cmd'> = [];
  let wordStart = true;
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    const top = stack[stack.length - 1];
    if (c === '\\') {
      i++;
      continue;
    }
    if (top === 'double') {
      if (c === '"') stack.pop();
      else if (c === '$' && script[i + 1] === '(') {
        stack.push('cmd');
        i++;
      }
      continue;
    }
    if (c === '#' && wordStart) {
      i = script.indexOf('\n', i);
      if (i < 0) break;
      wordStart = true;
      continue;
    }
    wordStart = /[\s;|&(]/.test(c);
    if (c === "'") {
      i = script.indexOf("'", i + 1);
    } else if (c === '"') {
      stack.push('double');
    } else if (c === '$' && script[i + 1] === '(') {
      stack.push('cmd');
      i++;
    } else if (c === ')' && top === 'cmd') {
      stack.pop();
    } else if (c === '$') {
      const match = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(script.slice(i));
      if (match) found.push(match[1]);
    }
  }
  // Allowed: numbers validated before arithmetic, the comma split of DB_NAMES.
  const allowed = ['DB_NAMES', '_ifs', 'IFS'];
  return found.filter(name => !allowed.includes(name));
}

const HOSTILE = '; $(rm -rf /) ` \' " \\ \n';

describe('planDatabaseLayer', () => {
  describe.each(DATABASE_ENGINES.map(engine => [engine]))('%s', engine => {
    const ctx = databaseContext({ database: { engine } });
    const plan = planDatabaseLayer(ctx);
    const [cronJob] = plan.objects;

    it('plans one CronJob and a restore Job in the workload namespace', () => {
      expect(plan.layer).toBe('database');
      expect(plan.objects).toHaveLength(1);
      expect(cronJob.apiVersion).toBe('batch/v1');
      expect(cronJob.kind).toBe('CronJob');
      expect(cronJob.metadata.name).toBe('orders-db-dump');
      expect(cronJob.metadata.namespace).toBe('shop');
      expect(plan.restoreJob.apiVersion).toBe('batch/v1');
      expect(plan.restoreJob.kind).toBe('Job');
      expect(plan.restoreJob.metadata.name).toBe('orders-db-restore');
      expect(plan.restoreJob.metadata.namespace).toBe('shop');
    });

    it('labels the CronJob, its Jobs and Pods as managed objects', () => {
      const expectedLabels = {
        'app.kubernetes.io/managed-by': 'backstage-backups',
        'backups/entity-kind': 'component',
        'backups/entity-namespace': 'default',
        'backups/entity-name': 'orders',
        'backups/layer': 'database',
      };
      const expectedAnnotations = {
        'backups/entity-ref': 'component:default/orders',
      };
      for (const metadata of [
        cronJob.metadata,
        jobTemplate(cronJob).metadata,
        jobTemplate(cronJob).spec.template.metadata,
        plan.restoreJob.metadata,
        (plan.restoreJob.spec as any).template.metadata,
      ]) {
        expect(metadata.labels).toEqual(expectedLabels);
        expect(metadata.annotations).toEqual(expectedAnnotations);
      }
    });

    it('schedules safely: no overlap, bounded history, retries and runtime', () => {
      expect(cronJob.spec).toMatchObject({
        schedule: '*/30 * * * *',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        startingDeadlineSeconds: expect.any(Number),
      });
      expect(jobTemplate(cronJob).spec).toMatchObject({
        backoffLimit: 2,
        activeDeadlineSeconds: 3600,
      });
      const spec = podSpecOf(cronJob);
      expect(spec.restartPolicy).toBe('Never');
      expect(spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 999,
        fsGroup: 999,
      });
      expect(spec.containers).toHaveLength(1);
      const [container] = spec.containers;
      expect(container).toMatchObject({
        terminationMessagePolicy: 'File',
        terminationMessagePath: '/dev/termination-log',
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
        resources: {
          requests: { cpu: expect.any(String), memory: expect.any(String) },
          limits: { memory: expect.any(String) },
        },
      });
    });

    it('runs the constant dump script of the engine in the engine image', () => {
      const [container] = podSpecOf(cronJob).containers;
      expect(container.image).toBe(ctx.databaseDumps.images[engine]);
      expect(container.command).toEqual([
        '/bin/sh',
        '-c',
        DUMP_SCRIPTS[engine],
      ]);
      const restore = restorePodSpec(plan.restoreJob).containers[0];
      expect(restore.image).toBe(ctx.databaseDumps.images[engine]);
      expect(restore.command).toEqual([
        '/bin/sh',
        '-c',
        RESTORE_SCRIPTS[engine],
      ]);
    });

    it('passes every value as env, credentials only by secretKeyRef', () => {
      const [container] = podSpecOf(cronJob).containers;
      expect(envValues(container)).toMatchObject({
        ENTITY_REF: 'component:default/orders',
        ENTITY_DIR: 'default/component/orders',
        DUMP_DIR: '/backups',
        DB_HOST: 'orders-db',
        DB_PORT: String(ctx.intent.database!.port),
        DB_NAMES: 'orders',
        RETENTION_COUNT: '48',
      });
      expect(envSecrets(container)).toEqual({
        DB_USER: { name: 'orders-db-credentials', key: 'username' },
        DB_PASSWORD: { name: 'orders-db-credentials', key: 'password' },
      });
      const restore = restorePodSpec(plan.restoreJob).containers[0];
      expect(envSecrets(restore)).toEqual(envSecrets(container));
      expect(envValues(restore)).toMatchObject({
        DB_HOST: 'orders-db',
        RESTORE_FILE: '',
        TARGET_DB_HOST: '',
        TARGET_DB_NAME: '',
      });
      expect(envValues(restore).RETENTION_COUNT).toBeUndefined();
    });

    it('mounts the dump PVC at DUMP_DIR', () => {
      const spec = podSpecOf(cronJob);
      expect(spec.volumes).toContainEqual({
        name: 'dumps',
        persistentVolumeClaim: { claimName: 'backup-dumps' },
      });
      expect(spec.containers[0].volumeMounts).toContainEqual({
        name: 'dumps',
        mountPath: '/backups',
      });
      expect(restorePodSpec(plan.restoreJob).volumes).toContainEqual({
        name: 'dumps',
        persistentVolumeClaim: { claimName: 'backup-dumps' },
      });
    });

    it('has the restore Job verify before restoring, and never retry', () => {
      expect(plan.restoreJob.spec).toMatchObject({
        backoffLimit: 0,
        activeDeadlineSeconds: 3600,
      });
      expect(RESTORE_SCRIPTS[engine]).toContain('sha256 mismatch');
      expect(restorePodSpec(plan.restoreJob).restartPolicy).toBe('Never');
    });

    it('never puts a password literal in the objects', () => {
      for (const spec of [
        podSpecOf(cronJob),
        restorePodSpec(plan.restoreJob),
      ]) {
        for (const c of allContainers(spec)) {
          const sensitive = c.env.filter(env =>
            /PASS|PWD|SECRET|TOKEN|ACCESS_KEY/.test(env.name),
          );
          expect(sensitive.filter(env => !('valueFrom' in env))).toEqual([]);
          // No password on a command line (visible in ps) nor in a URI.
          const script = c.command.join(' ');
          expect(script).not.toMatch(
            /--password[= ]| -p\$|:\/\/[^\s"@/]*:[^\s"@/]*@/,
          );
        }
      }
    });
  });

  it('expresses retention by age in seconds', () => {
    const ctx = databaseContext({
      database: {
        retention: {
          type: 'age',
          maxAge: { text: '7d', milliseconds: 7 * 24 * 3600 * 1000 },
        },
      },
    });
    const env = envValues(
      podSpecOf(planDatabaseLayer(ctx).objects[0]).containers[0],
    );
    expect(env.RETENTION_MAX_AGE_SECONDS).toBe(String(7 * 24 * 3600));
    expect(env.RETENTION_COUNT).toBeUndefined();
  });

  it('joins several databases and leaves DB_NAMES empty for all', () => {
    const several = dumpEnvironment(
      databaseContext({ database: { databases: ['orders', 'billing'] } }),
    );
    expect(several).toContainEqual({
      name: 'DB_NAMES',
      value: 'orders,billing',
    });
    const all = dumpEnvironment(
      databaseContext({ database: { databases: [] } }),
    );
    expect(all).toContainEqual({ name: 'DB_NAMES', value: '' });
  });

  it('keeps names within limits and unique for a 63-character entity name', () => {
    const name = `a${'-long-name'.repeat(7)}`.slice(0, 62).concat('z');
    expect(name).toHaveLength(63);
    const plans = ['default', 'other'].map(namespace =>
      planDatabaseLayer(databaseContext({ entity: { name, namespace } })),
    );
    for (const plan of plans) {
      const cronName = plan.objects[0].metadata.name;
      expect(cronName.length).toBeLessThanOrEqual(52);
      expect(cronName).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(cronName).toMatch(/-db-dump$/);
      const jobName = plan.restoreJob.metadata.name;
      expect(jobName.length).toBeLessThanOrEqual(63 - 6);
      for (const value of Object.values(plan.objects[0].metadata.labels)) {
        expect(value.length).toBeLessThanOrEqual(63);
      }
    }
    expect(plans[0].objects[0].metadata.name).not.toBe(
      plans[1].objects[0].metadata.name,
    );
  });

  describe.each(DATABASE_ENGINES.map(engine => [engine]))(
    'injection (%s)',
    (engine: DatabaseEngine) => {
      const normal = planDatabaseLayer(
        databaseContext({ database: { engine } }),
      );
      const hostile = planDatabaseLayer(
        databaseContext({
          database: {
            engine,
            host: `db${HOSTILE}`,
            databases: [`orders${HOSTILE}`, `x${HOSTILE}`],
            secretName: `s${HOSTILE}`,
          },
        }),
      );
      const commands = (plan: ReturnType<typeof planDatabaseLayer>) =>
        [
          ...allContainers(podSpecOf(plan.objects[0])),
          ...allContainers(restorePodSpec(plan.restoreJob)),
        ].map(c => c.command);

      it('produces the same command text as for normal values', () => {
        expect(commands(hostile)).toEqual(commands(normal));
      });

      it('carries the hostile values only in env values', () => {
        const container = podSpecOf(hostile.objects[0]).containers[0];
        expect(envValues(container).DB_HOST).toBe(`db${HOSTILE}`);
        expect(envValues(container).DB_NAMES).toBe(
          `orders${HOSTILE},x${HOSTILE}`,
        );
        const withoutEnv = JSON.stringify(
          [hostile.objects[0], hostile.restoreJob],
          (key, value) => (key === 'env' ? undefined : value),
        );
        expect(withoutEnv).not.toContain('rm -rf');
        for (const script of commands(hostile).flat()) {
          expect(script).not.toContain('rm -rf /');
        }
      });
    },
  );

  describe('s3 storage', () => {
    const ctx = databaseContext({
      database: { engine: 'mysql' },
      storage: S3_STORAGE,
    });
    const plan = planDatabaseLayer(ctx);
    const spec = podSpecOf(plan.objects[0]);

    it('dumps in an init container and uploads with an aws-cli container', () => {
      expect(spec.initContainers).toHaveLength(1);
      expect(spec.initContainers![0]).toMatchObject({
        name: 'dump',
        image: 'mysql:8.0',
        command: ['/bin/sh', '-c', DUMP_SCRIPTS.mysql],
      });
      expect(spec.containers).toHaveLength(1);
      expect(spec.containers[0]).toMatchObject({
        name: 'upload',
        image: TEST_S3_CLIENT_IMAGE,
        command: ['/bin/sh', '-c', S3_UPLOAD_SCRIPT],
        terminationMessagePolicy: 'File',
      });
      expect(spec.volumes).toContainEqual({ name: 'dumps', emptyDir: {} });
      expect(JSON.stringify(spec)).not.toContain('persistentVolumeClaim');
    });

    it('passes bucket, prefix, endpoint and credentials by secretKeyRef', () => {
      const upload = containerNamed(spec, 'upload');
      expect(envValues(upload)).toMatchObject({
        S3_BUCKET: 'team-dumps',
        S3_PREFIX: 'k8s/dumps',
        S3_ENDPOINT: 'https://minio.example:9000',
        ENTITY_DIR: 'default/component/orders',
        RETENTION_COUNT: '48',
      });
      expect(envSecrets(upload)).toEqual({
        AWS_ACCESS_KEY_ID: {
          name: 'dump-s3-credentials',
          key: 'AWS_ACCESS_KEY_ID',
        },
        AWS_SECRET_ACCESS_KEY: {
          name: 'dump-s3-credentials',
          key: 'AWS_SECRET_ACCESS_KEY',
        },
      });
      expect(envSecrets(containerNamed(spec, 'dump'))).toEqual({
        DB_USER: { name: 'orders-db-credentials', key: 'username' },
        DB_PASSWORD: { name: 'orders-db-credentials', key: 'password' },
      });
    });

    it('downloads the dump before the restore container runs', () => {
      const restore = restorePodSpec(plan.restoreJob);
      expect(restore.initContainers![0]).toMatchObject({
        name: 'download',
        image: TEST_S3_CLIENT_IMAGE,
        command: ['/bin/sh', '-c', S3_DOWNLOAD_SCRIPT],
      });
      expect(envValues(restore.initContainers![0]).RESTORE_FILE).toBe('');
      expect(restore.containers[0]).toMatchObject({
        name: 'restore',
        command: ['/bin/sh', '-c', RESTORE_SCRIPTS.mysql],
      });
    });

    it('uses a PVC volume, not an emptyDir, for pvc storage', () => {
      const pvc = podSpecOf(
        planDatabaseLayer(databaseContext({ storage: PVC_STORAGE })).objects[0],
      );
      expect(pvc.initContainers).toBeUndefined();
      expect(pvc.volumes[0]).toEqual({
        name: 'dumps',
        persistentVolumeClaim: { claimName: 'backup-dumps' },
      });
    });
  });

  it('writes no annotation value into any script constant', () => {
    const scripts = [
      ...Object.values(DUMP_SCRIPTS),
      ...Object.values(RESTORE_SCRIPTS),
      S3_UPLOAD_SCRIPT,
      S3_DOWNLOAD_SCRIPT,
    ];
    for (const script of scripts) {
      expect(script).toMatch(/^set -eu\n/);
      expect(script).not.toContain('orders');
      // Every expansion of a variable is inside double quotes (or is a
      // number checked before use, or the word-split of DB_NAMES).
      expect(unquotedExpansions(script)).toEqual([]);
    }
  });

  it('throws when the intent has no database settings', () => {
    const ctx = databaseContext();
    delete ctx.intent.database;
    expect(() => planDatabaseLayer(ctx)).toThrow(/no database settings/);
  });
});
