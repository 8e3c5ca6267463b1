/*
 * The planned dump CronJob and restore Job containers, run for real: the exact
 * command (`/bin/sh -c <script>`) and env of the planned containers, against a
 * throwaway PostgreSQL / MariaDB server on 127.0.0.1 (Debian's packages; .ci/run
 * installs them). Only what a pod gets from somewhere else than the plan is
 * replaced: the database service address, the PVC mount, the termination log,
 * and the Secret's values behind the secretKeyRefs.
 *
 * Without the servers installed this suite is skipped, saying what is missing;
 * with CI=true it fails instead.
 */
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { BACKUPS_ANNOTATIONS } from '@backups-for-backstage/plugin-backups-common';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readBackupsConfig } from '../../config/readBackupsConfig';
import { planContexts, planEntity } from '../planEntity';
import { planRestoreJob, RestoreJobTarget } from '../restores/planRestoreJob';
import { PlannedObject } from '../types';
import {
  missingServerBinaries,
  run,
  RunResult,
  ServerEngine,
  startThrowawayServer,
  ThrowawayServer,
} from './__testUtils__/throwawayServers';
import { EnvVar } from './environment';

jest.setTimeout(120_000);

const IS_CI = Boolean(process.env.CI) && process.env.CI !== 'false';

const SECRET_NAME = 'orders-db-credentials';
const USER = {
  username: 'backup_user',
  password: `pa ss'w"o\\rd $HOME \`id\` ü`,
};
/** The Secret a pod's secretKeyRefs would read. */
const SECRETS: Record<string, Record<string, string>> = {
  [SECRET_NAME]: { username: USER.username, password: USER.password },
};
/** Two databases; the second name uses every character the parser allows. */
const DATABASES = ['orders', 'audit-Log$2'];

/** Env a pod gets from elsewhere than the plan: the only values we replace. */
const POD_PROVIDED = ['DB_HOST', 'DB_PORT', 'DUMP_DIR', 'TERMINATION_LOG'];
/** What the restore feature fills in before it runs the restore Job. */
const RESTORE_PROVIDED = [
  'RESTORE_FILE',
  'EXPECTED_SHA256',
  'TARGET_DB_HOST',
  'TARGET_DB_NAME',
];
/** Not in the plan at all: the image's PATH and the pod's private /tmp. */
const IMAGE_PROVIDED = ['PATH', 'TMPDIR'];

const config = readBackupsConfig(
  new ConfigReader({
    backups: {
      defaultCluster: 'prod',
      clusters: [{ name: 'prod', url: 'https://10.0.0.1:6443' }],
      policies: {
        gold: {
          rpo: '1h',
          rto: '30m',
          database: { schedule: '*/30 * * * *' },
        },
      },
    },
  }),
);

type Container = {
  name: string;
  command: string[];
  env: EnvVar[];
};

interface PlannedContainers {
  restoreJob(target: Omit<RestoreJobTarget, 'id' | 'label'>): Container;
  dump: Container;
  restore: Container;
  entityDir: string;
}

/** The dump and restore containers the real planner plans for an entity. */
function plannedContainers(options: {
  engine: ServerEngine;
  port: number;
  databases: string[];
  retention: string;
}): PlannedContainers {
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'orders',
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': 'orders',
        'backstage.io/kubernetes-namespace': 'shop',
        [BACKUPS_ANNOTATIONS.policy]: 'gold',
        [BACKUPS_ANNOTATIONS.layers]: 'database',
        [BACKUPS_ANNOTATIONS.database]: options.engine,
        [BACKUPS_ANNOTATIONS.databaseHost]: `orders-db:${options.port}`,
        [BACKUPS_ANNOTATIONS.databaseName]: options.databases.join(','),
        [BACKUPS_ANNOTATIONS.databaseSecret]: SECRET_NAME,
        [BACKUPS_ANNOTATIONS.databaseRetention]: options.retention,
      },
    },
    spec: { type: 'service', owner: 'team', lifecycle: 'production' },
  };
  const plan = planEntity({ entity, config });
  if (plan.state !== 'planned') {
    throw new Error(`not planned: ${JSON.stringify(plan)}`);
  }
  const [cluster] = plan.clusters;
  const cronJob = cluster.objects.find(
    (object: PlannedObject) => object.kind === 'CronJob',
  )!;
  const dumpPod = (cronJob.spec as any).jobTemplate.spec.template.spec;
  const restorePod = (cluster.restoreJob!.spec as any).template.spec;
  const named = (pod: any, name: string): Container =>
    [...(pod.initContainers ?? []), ...pod.containers].find(
      (c: Container) => c.name === name,
    );
  const dump = named(dumpPod, 'dump');
  const restore = named(restorePod, 'restore');
  const entityDir = plannedEnv(dump).ENTITY_DIR;
  /** The restore container of one restore, as the restore feature plans its Job. */
  const restoreJob = (target: Omit<RestoreJobTarget, 'id' | 'label'>) => {
    const contexts = planContexts({ entity, config });
    if (contexts.state !== 'planned') throw new Error('not planned');
    const job = planRestoreJob(contexts.contexts[0], {
      id: 'r1',
      label: 'backups/restore',
      ...target,
    });
    return named((job.spec as any).template.spec, 'restore');
  };
  return { dump, restore, entityDir, restoreJob };
}

/** A container's env as the kubelet would set it, secretKeyRefs resolved. */
function plannedEnv(
  container: Container,
  secrets: Record<string, Record<string, string>> = SECRETS,
): Record<string, string> {
  return Object.fromEntries(
    container.env.map(env => {
      if ('value' in env) {
        return [env.name, env.value];
      }
      const { name, key } = env.valueFrom.secretKeyRef;
      const value = secrets[name]?.[key];
      if (value === undefined) {
        throw new Error(`no Secret ${name} with key ${key}`);
      }
      return [env.name, value];
    }),
  );
}

interface ContainerRun extends RunResult {
  /** The termination message, parsed, or undefined when there is none. */
  message?: Record<string, unknown>;
  rawMessage: string;
}

let scratch: string;

/**
 * Runs a planned container's exact command with its planned env, replacing
 * only `overrides`, which must be values a pod gets from elsewhere.
 */
async function runContainer(
  container: Container,
  server: ThrowawayServer,
  overrides: Record<string, string>,
  secrets = SECRETS,
): Promise<ContainerRun> {
  const planned = plannedEnv(container, secrets);
  const terminationLog = path.join(
    fs.mkdtempSync(path.join(scratch, 'pod-')),
    'termination-log',
  );
  const tmpDir = path.dirname(terminationLog);
  const env: Record<string, string> = {
    ...planned,
    PATH: [...server.clientPath, process.env.PATH].join(path.delimiter),
    TMPDIR: tmpDir,
    DB_HOST: '127.0.0.1',
    TERMINATION_LOG: terminationLog,
    ...overrides,
  };

  // Everything but the pod-provided values is exactly as planned.
  const allowed =
    container.name === 'restore'
      ? [...POD_PROVIDED, ...RESTORE_PROVIDED]
      : POD_PROVIDED;
  const replaced = Object.keys(env).filter(
    name => !IMAGE_PROVIDED.includes(name) && env[name] !== planned[name],
  );
  expect(replaced.filter(name => !allowed.includes(name))).toEqual([]);
  expect(IMAGE_PROVIDED.filter(name => name in planned)).toEqual([]);
  expect(Object.keys(planned).every(name => name in env)).toBe(true);
  expect(container.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);

  const [command, ...args] = container.command;
  const result = await run(command, args, { env, cwd: tmpDir });
  const rawMessage = fs.existsSync(terminationLog)
    ? fs.readFileSync(terminationLog, 'utf8')
    : '';
  let message: Record<string, unknown> | undefined;
  try {
    message = JSON.parse(rawMessage);
  } catch {
    message = undefined;
  }
  return { ...result, message, rawMessage };
}

function explain(result: RunResult): string {
  return `exit ${result.code ?? result.signal}\n--- stderr\n${
    result.stderr
  }\n--- stdout\n${result.stdout}`;
}

const sha256 = (file: string) =>
  crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A dump file name with the timestamp the scripts use (UTC, seconds). */
function dumpStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

// ---------------------------------------------------------------------------
// Seed data and fingerprints

const AWKWARD = [
  "O'Brien",
  'say "hi"',
  'back\\slash \\N \\\\',
  'line1\nline2\r\nline3',
  'tab\there',
  'ünïcødé ☃ 日本語 🎉 emoji 👩‍👩‍👧',
  "'); DROP TABLE customers; --",
  '$HOME $(id) `id` ${PATH}',
  '%_*?[]{}',
  '',
  'NULL',
  ' leading and trailing ',
  'x'.repeat(10_000),
  '\u0001\u0007\u001b control',
];

interface Row {
  id: number;
  name: string;
  note: string | null;
  amount: string;
  at: string;
  flag: boolean;
  blob: Buffer | null;
}

function rows(count: number, salt: string): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    name: `${AWKWARD[i % AWKWARD.length]} #${i} ${salt}`,
    note: i % 7 === 0 ? null : AWKWARD[(i * 3) % AWKWARD.length],
    amount: `${(i * 1234.56) % 100000}`.slice(0, 10),
    at: new Date(Date.UTC(2024, 0, 1, 0, 0, i, i % 1000))
      .toISOString()
      .replace('T', ' ')
      .replace('Z', ''),
    flag: i % 3 === 0,
    blob:
      i % 5 === 0
        ? null
        : crypto.createHash('sha512').update(`${salt}${i}`).digest(),
  }));
}

function seedSql(engine: ServerEngine, database: string): string {
  const salt = database;
  const tables: Array<[string, Row[]]> = [
    ['customers', rows(300, salt)],
    ['Line Items', rows(217, `${salt}-items`)],
  ];
  const statements: string[] = [];
  if (engine === 'postgres') {
    const lit = (text: string) => `'${text.replace(/'/g, "''")}'`;
    const value = (row: Row) =>
      `(${row.id}, ${lit(row.name)}, ${
        row.note === null ? 'NULL' : lit(row.note)
      }, ${row.amount}, ${lit(row.at)}, ${row.flag}, ${
        row.blob ? `'\\x${row.blob.toString('hex')}'::bytea` : 'NULL'
      })`;
    statements.push(`SET ROLE "${USER.username}";`);
    for (const [table, data] of tables) {
      const ident = `"${table}"`;
      statements.push(
        `CREATE TABLE ${ident} (id serial PRIMARY KEY, name text NOT NULL, note text, amount numeric(12,2), at timestamp(3), flag boolean, blob bytea);`,
        `INSERT INTO ${ident} (id, name, note, amount, at, flag, blob) VALUES ${data
          .map(value)
          .join(',\n')};`,
        `SELECT setval(pg_get_serial_sequence('${ident}', 'id'), ${data.length});`,
      );
    }
    statements.push(
      'CREATE VIEW flagged AS SELECT id, name FROM customers WHERE flag;',
      'CREATE INDEX customers_name ON customers (name);',
    );
  } else {
    // Backslash escapes, also for CR and LF: the mariadb client reading SQL
    // from stdin turns a raw CR LF inside a literal into LF.
    const lit = (text: string) =>
      `'${text
        .replace(/\\/g, '\\\\')
        .replace(/'/g, "''")
        .replace(/\r/g, '\\r')
        .replace(/\n/g, '\\n')}'`;
    const value = (row: Row) =>
      `(${row.id}, ${lit(row.name)}, ${
        row.note === null ? 'NULL' : lit(row.note)
      }, ${row.amount}, ${lit(row.at)}, ${row.flag}, ${
        row.blob ? `X'${row.blob.toString('hex')}'` : 'NULL'
      })`;
    for (const [table, data] of tables) {
      const ident = `\`${table}\``;
      statements.push(
        `CREATE TABLE ${ident} (id int AUTO_INCREMENT PRIMARY KEY, name longtext NOT NULL, note text, amount decimal(12,2), at datetime(3), flag boolean, \`blob\` blob) DEFAULT CHARSET=utf8mb4;`,
        `INSERT INTO ${ident} (id, name, note, amount, at, flag, \`blob\`) VALUES ${data
          .map(value)
          .join(',\n')};`,
      );
    }
    statements.push(
      'CREATE VIEW flagged AS SELECT id, name FROM customers WHERE flag;',
      'CREATE TRIGGER customers_touch BEFORE UPDATE ON customers FOR EACH ROW SET NEW.at = NEW.at;',
    );
  }
  return statements.join('\n');
}

const quoteIdent = (engine: ServerEngine, name: string) =>
  engine === 'postgres'
    ? `"${name.replace(/"/g, '""')}"`
    : `\`${name.replace(/`/g, '``')}\``;

async function createDatabase(server: ThrowawayServer, database: string) {
  const ident = quoteIdent(server.engine, database);
  if (server.engine === 'postgres') {
    await server.query(
      'postgres',
      `CREATE DATABASE ${ident} OWNER "${USER.username}";`,
    );
  } else {
    await server.query(
      undefined,
      `CREATE DATABASE ${ident} CHARACTER SET utf8mb4;`,
    );
  }
  await server.query(database, seedSql(server.engine, database));
}

async function dropDatabase(server: ThrowawayServer, database: string) {
  await server.query(
    server.engine === 'postgres' ? 'postgres' : undefined,
    `DROP DATABASE ${quoteIdent(server.engine, database)};`,
  );
}

async function databaseExists(server: ThrowawayServer, database: string) {
  const sql =
    server.engine === 'postgres'
      ? `SELECT count(*) FROM pg_database WHERE datname = '${database}';`
      : `SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '${database}';`;
  return (
    (
      await server.query(
        server.engine === 'postgres' ? 'postgres' : undefined,
        sql,
      )
    ).trim() === '1'
  );
}

/** Per table (and view) of a database: row count and a checksum of the content. */
async function fingerprint(
  server: ThrowawayServer,
  database: string,
): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  if (server.engine === 'postgres') {
    const tables = (
      await server.query(
        database,
        `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v') ORDER BY 1;`,
      )
    )
      .split('\n')
      .filter(Boolean);
    for (const table of tables) {
      const ident = quoteIdent('postgres', table);
      result[table] = (
        await server.query(
          database,
          `SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))
           FROM ${ident} t;`,
        )
      ).trim();
    }
    result['sequence last values'] = (
      await server.query(
        database,
        `SELECT string_agg(sequencename || '=' || coalesce(last_value::text, '-'), ',' ORDER BY sequencename) FROM pg_sequences;`,
      )
    ).trim();
  } else {
    const tables = (
      await server.query(
        database,
        `SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1;`,
      )
    )
      .split('\n')
      .filter(Boolean);
    for (const table of tables) {
      const columns = (
        await server.query(
          database,
          `SELECT column_name FROM information_schema.columns
           WHERE table_schema = DATABASE() AND table_name = '${table}' ORDER BY ordinal_position;`,
        )
      )
        .split('\n')
        .filter(Boolean);
      const row = `CONCAT_WS(',', ${columns
        .map(column => `QUOTE(${quoteIdent('mysql', column)})`)
        .join(', ')})`;
      result[table] = (
        await server.query(
          database,
          `SET SESSION group_concat_max_len = 1073741824;
           SELECT COUNT(*), SHA2(COALESCE(GROUP_CONCAT(r ORDER BY CAST(r AS BINARY) SEPARATOR '\\n'), ''), 256)
           FROM (SELECT ${row} AS r FROM ${quoteIdent('mysql', table)}) t;`,
        )
      ).trim();
    }
    result.triggers = (
      await server.query(
        database,
        `SELECT GROUP_CONCAT(trigger_name ORDER BY trigger_name) FROM information_schema.triggers WHERE trigger_schema = DATABASE();`,
      )
    ).trim();
  }
  return result;
}

async function fingerprints(server: ThrowawayServer, databases: string[]) {
  const all: Record<string, Record<string, string>> = {};
  for (const database of databases) {
    all[database] = await fingerprint(server, database);
  }
  return all;
}

// ---------------------------------------------------------------------------

const ENGINES: ServerEngine[] = ['postgres', 'mysql'];

describe.each(ENGINES.map(engine => [engine]))(
  'the planned %s dump and restore containers against a real server',
  (engine: ServerEngine) => {
    const missing = missingServerBinaries(engine);
    if (missing.length > 0 && !IS_CI) {
      // Skipped, with what is missing in its name; CI=true runs it and fails.
      // eslint-disable-next-line jest/no-disabled-tests
      it.skip(`needs ${missing.join(
        ', ',
      )}: apt-get install postgresql mariadb-server mariadb-client`, () => {
        expect(missing).toEqual([]);
      });
      return;
    }

    let server: ThrowawayServer;
    /** The planned containers for this engine's server, retention 2 by default. */
    const containersFor = (databases: string[], retention = '2') =>
      plannedContainers({ engine, port: server.port, databases, retention });
    let original: Record<string, Record<string, string>>;
    let containers: PlannedContainers;

    const dumpDir = () => fs.mkdtempSync(path.join(scratch, 'pvc-'));

    async function dumpOnce(
      planned: PlannedContainers,
      storage: string,
    ): Promise<{ report: Record<string, any>; file: string; storage: string }> {
      const result = await runContainer(planned.dump, server, {
        DUMP_DIR: storage,
      });
      expect(explain(result)).toMatch(/^exit 0/);
      const report = result.message as Record<string, any>;
      expect(report).toBeDefined();
      return { report, file: path.join(storage, report.file), storage };
    }

    beforeAll(async () => {
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), `backups-${engine}-`));
      if (missing.length > 0) {
        throw new Error(
          `CI=true and the ${engine} server is not installed: missing ${missing.join(
            ', ',
          )}`,
        );
      }
      server = await startThrowawayServer(engine, USER);
      for (const database of DATABASES) {
        await createDatabase(server, database);
      }
      original = await fingerprints(server, DATABASES);
      containers = containersFor(DATABASES);
    }, 240_000);

    afterAll(async () => {
      await server?.stop();
      if (scratch) {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    }, 120_000);

    it('seeds awkward content the fingerprint sees', () => {
      for (const database of DATABASES) {
        expect(original[database].customers).toMatch(/^300\t[0-9a-f]{32,64}$/);
        expect(original[database]['Line Items']).toMatch(/^217\t/);
      }
      expect(original[DATABASES[0]].customers).not.toEqual(
        original[DATABASES[1]].customers,
      );
    });

    let storage: string;
    let dumped: { report: Record<string, any>; file: string };

    it('seeds the awkward values byte for byte', async () => {
      const expected = rows(300, DATABASES[1]);
      const sql =
        engine === 'postgres'
          ? `SELECT id, encode(convert_to(name, 'UTF8'), 'hex'), coalesce(encode(convert_to(note, 'UTF8'), 'hex'), '-'), coalesce(encode(blob, 'hex'), '-') FROM customers WHERE id <= ${AWKWARD.length} ORDER BY id;`
          : `SELECT id, HEX(name), COALESCE(HEX(note), '-'), COALESCE(HEX(\`blob\`), '-') FROM customers WHERE id <= ${AWKWARD.length} ORDER BY id;`;
      const actual = (await server.query(DATABASES[1], sql))
        .trim()
        .split('\n')
        .map(line => line.split('\t').map(value => value.toLowerCase()));
      const hex = (value: string | Buffer | null) =>
        value === null ? '-' : Buffer.from(value).toString('hex');
      expect(actual).toEqual(
        expected
          .slice(0, AWKWARD.length)
          .map(row => [
            String(row.id),
            hex(row.name),
            hex(row.note),
            hex(row.blob),
          ]),
      );
    });

    it('dumps both databases and reports the dump in the termination log', async () => {
      storage = dumpDir();
      dumped = await dumpOnce(containers, storage);
      const { report, file } = dumped;
      expect(Object.keys(report).sort()).toEqual([
        'bytes',
        'file',
        'finishedAt',
        'sha256',
        'startedAt',
      ]);
      expect(report.file).toMatch(
        new RegExp(
          `^${containers.entityDir}/dump-\\d{8}T\\d{6}Z\\.[a-z0-9.]+$`,
        ),
      );
      expect(report.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(report.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(report.finishedAt >= report.startedAt).toBe(true);
      expect(report.bytes).toBe(fs.statSync(file).size);
      expect(report.bytes).toBeGreaterThan(1000);
      expect(report.sha256).toBe(sha256(file));

      // The sidecars: sha256sum -c format, and the report.
      const sidecar = await run(
        'sha256sum',
        ['-c', `${path.basename(file)}.sha256`],
        {
          cwd: path.dirname(file),
        },
      );
      expect(explain(sidecar)).toMatch(/^exit 0/);
      expect(fs.readFileSync(`${file}.sha256`, 'utf8')).toBe(
        `${report.sha256}  ${path.basename(file)}\n`,
      );
      expect(JSON.parse(fs.readFileSync(`${file}.json`, 'utf8'))).toEqual(
        report,
      );
      // Nothing else was left behind in the entity's directory.
      expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(
        [
          path.basename(file),
          `${path.basename(file)}.json`,
          `${path.basename(file)}.sha256`,
        ].sort(),
      );
    });

    it('restores both databases after they were dropped', async () => {
      for (const database of DATABASES) {
        await dropDatabase(server, database);
        expect(await databaseExists(server, database)).toBe(false);
      }
      const result = await runContainer(containers.restore, server, {
        DUMP_DIR: storage,
        RESTORE_FILE: dumped.report.file,
      });
      expect(explain(result)).toMatch(/^exit 0/);
      expect(result.message).toMatchObject({
        file: dumped.report.file,
        bytes: dumped.report.bytes,
      });
      expect(await fingerprints(server, DATABASES)).toEqual(original);
    });

    it('restores a dump of one database (the single-database format)', async () => {
      const single = containersFor([DATABASES[1]]);
      const { report, storage: pvc } = await dumpOnce(single, dumpDir());
      await dropDatabase(server, DATABASES[1]);
      const result = await runContainer(single.restore, server, {
        DUMP_DIR: pvc,
        RESTORE_FILE: report.file,
      });
      expect(explain(result)).toMatch(/^exit 0/);
      expect(await fingerprints(server, DATABASES)).toEqual(original);
    });

    it('refuses a corrupted dump, changing nothing', async () => {
      const corrupt = await dumpOnce(containers, dumpDir());
      const { report, file } = corrupt;
      // A change after the dump, which a restore would undo.
      await server.query(
        DATABASES[0],
        `INSERT INTO customers (id, name) VALUES (100000, 'written after the dump');`,
      );
      const changed = await fingerprints(server, DATABASES);
      expect(changed).not.toEqual(original);

      const bytes = fs.readFileSync(file);
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
      fs.writeFileSync(file, bytes);

      const result = await runContainer(containers.restore, server, {
        DUMP_DIR: corrupt.storage,
        RESTORE_FILE: report.file,
      });
      expect(result.code).not.toBe(0);
      expect(result.message).toEqual({
        error: 'sha256 mismatch: the dump is corrupt',
      });
      expect(await fingerprints(server, DATABASES)).toEqual(changed);

      await server.query(
        DATABASES[0],
        'DELETE FROM customers WHERE id = 100000;',
      );
      expect(await fingerprints(server, DATABASES)).toEqual(original);
    });

    it('restores a single-database dump into a scratch database (a drill)', async () => {
      const single = containersFor([DATABASES[1]]);
      const { report, storage: pvc } = await dumpOnce(single, dumpDir());
      const scratchName = 'drill_scratch';
      const result = await runContainer(single.restore, server, {
        DUMP_DIR: pvc,
        RESTORE_FILE: report.file,
        TARGET_DB_HOST: '127.0.0.1',
        TARGET_DB_NAME: scratchName,
      });
      expect(explain(result)).toMatch(/^exit 0/);
      expect(await fingerprint(server, scratchName)).toEqual(
        original[DATABASES[1]],
      );
      expect(await fingerprints(server, DATABASES)).toEqual(original);
      await dropDatabase(server, scratchName);
    });

    it('restores through the planned restore Job: into a new database, then in place, rows and checksums equal to the source', async () => {
      const single = containersFor([DATABASES[1]]);
      const { report, storage: pvc } = await dumpOnce(single, dumpDir());
      const restored = 'orders_restore_r1';
      // The Job's env exactly as planned; only what the pod provides differs.
      const toNew = await runContainer(
        single.restoreJob({
          restoreFile: report.file,
          sha256: report.sha256,
          database: restored,
        }),
        server,
        { DUMP_DIR: pvc },
      );
      expect(explain(toNew)).toMatch(/^exit 0/);
      expect(await fingerprint(server, restored)).toEqual(
        original[DATABASES[1]],
      );
      expect(await fingerprints(server, DATABASES)).toEqual(original);
      await dropDatabase(server, restored);

      await server.query(
        DATABASES[1],
        `INSERT INTO customers (id, name) VALUES (100001, 'written after the dump');`,
      );
      expect(await fingerprints(server, DATABASES)).not.toEqual(original);
      const inPlace = await runContainer(
        single.restoreJob({ restoreFile: report.file, sha256: report.sha256 }),
        server,
        { DUMP_DIR: pvc },
      );
      expect(explain(inPlace)).toMatch(/^exit 0/);
      expect(await fingerprints(server, DATABASES)).toEqual(original);
    });

    describe('a drill: the planned restore Job into a scratch database, verified read-only, then dropped', () => {
      const source = 'drill_source';
      const scratchDb = 'drill_source_drill_d1';
      let drillDump: { report: Record<string, any>; storage: string };
      let sourcePrint: Record<string, string>;

      beforeAll(async () => {
        await createDatabase(server, source);
        sourcePrint = await fingerprint(server, source);
        drillDump = await dumpOnce(containersFor([source]), dumpDir());
      });

      /** The drill's restore Job with this verify query, run as its pod would. */
      const drill = (verify: string | undefined, recordedSha256?: string) =>
        runContainer(
          containersFor([source]).restoreJob({
            restoreFile: drillDump.report.file,
            sha256: recordedSha256 ?? drillDump.report.sha256,
            database: scratchDb,
            drill: verify === undefined ? {} : { verify },
          }),
          server,
          { DUMP_DIR: drillDump.storage },
        );

      /** Whatever the drill did, it left no scratch database and the source as it was. */
      const expectNothingLeft = async () => {
        expect(await databaseExists(server, scratchDb)).toBe(false);
        expect(await fingerprint(server, source)).toEqual(sourcePrint);
      };

      it('passes when backups/drill-verify returns rows, and drops the scratch database', async () => {
        const result = await drill('SELECT id FROM customers WHERE id <= 3');
        expect(explain(result)).toMatch(/^exit 0/);
        expect(result.message).toMatchObject({
          file: drillDump.report.file,
          verifiedRows: 3,
          scratchDropped: true,
        });
        expect(result.stderr).toContain('backups/drill-verify found 3 row(s)');
        await expectNothingLeft();
      });

      it('without backups/drill-verify, asks for at least one table', async () => {
        const result = await drill(undefined);
        expect(explain(result)).toMatch(/^exit 0/);
        expect(result.message).toMatchObject({ verifiedRows: 1 });
        await expectNothingLeft();
      });

      it('fails when backups/drill-verify returns nothing', async () => {
        const result = await drill('SELECT id FROM customers WHERE id < 0');
        expect(result.code).not.toBe(0);
        expect(result.message).toEqual({
          error: 'backups/drill-verify found nothing in the restored database',
        });
        await expectNothingLeft();
      });

      it('refuses a query that writes: the read-only transaction stops it', async () => {
        // Both start with SELECT or WITH, as the annotation parser asks, yet write.
        const writing =
          engine === 'postgres'
            ? 'WITH gone AS (DELETE FROM customers RETURNING id) SELECT id FROM gone'
            : 'SELECT NEXTVAL(drill_counter)';
        if (engine === 'mysql') {
          // Restored with the dump: a sequence, which NEXTVAL writes to.
          await server.query(source, 'CREATE SEQUENCE drill_counter;');
          sourcePrint = await fingerprint(server, source);
          drillDump = await dumpOnce(containersFor([source]), dumpDir());
        }
        const result = await drill(writing);
        expect(result.code).not.toBe(0);
        expect(result.message?.error).toMatch(
          /^backups\/drill-verify failed in a read-only (transaction|session); see the container log$/,
        );
        expect(result.stderr).toMatch(
          /read-only transaction|READ ONLY transaction/i,
        );
        await expectNothingLeft();
      });

      it('refuses more than one statement and what is not a query, before it restores anything', async () => {
        for (const [verify, error] of [
          [
            'SELECT 1 FROM customers LIMIT 1; DROP TABLE customers',
            'VERIFY_QUERY must be a single statement without ;',
          ],
          [
            'DELETE FROM customers',
            'VERIFY_QUERY must start with SELECT or WITH',
          ],
        ]) {
          const result = await drill(verify);
          expect(result.message).toEqual({ error });
        }
        await expectNothingLeft();
      });

      it('checks the sha256 before it creates the scratch database', async () => {
        const result = await drill('SELECT 1', 'e'.repeat(64));
        expect(result.message).toEqual({
          error: 'sha256 mismatch: the dump is not the one recorded',
        });
        await expectNothingLeft();
      });
    });

    it('refuses a dump whose sha256 is not the one recorded, changing nothing', async () => {
      const single = containersFor([DATABASES[1]]);
      const { report, storage: pvc } = await dumpOnce(single, dumpDir());
      const result = await runContainer(
        single.restoreJob({
          restoreFile: report.file,
          sha256: 'f'.repeat(64),
          database: 'orders_restore_r2',
        }),
        server,
        { DUMP_DIR: pvc },
      );
      expect(result.code).not.toBe(0);
      expect(result.message).toEqual({
        error: 'sha256 mismatch: the dump is not the one recorded',
      });
      expect(await databaseExists(server, 'orders_restore_r2')).toBe(false);
    });

    it('reports a failed dump as JSON and leaves no dump behind', async () => {
      const pvc = dumpDir();
      const result = await runContainer(
        containers.dump,
        server,
        { DUMP_DIR: pvc },
        {
          [SECRET_NAME]: {
            username: USER.username,
            password: 'wrong password',
          },
        },
      );
      expect(result.code).not.toBe(0);
      expect(result.message).toEqual({
        error: expect.stringMatching(/^a command failed with exit status \d+/),
      });
      expect(fs.readdirSync(path.join(pvc, containers.entityDir))).toEqual([]);
    });

    it('dumps and restores every database when no database is named', async () => {
      const all = containersFor([]);
      expect(plannedEnv(all.dump).DB_NAMES).toBe('');
      const { report, storage: pvc } = await dumpOnce(all, dumpDir());
      for (const database of DATABASES) {
        await dropDatabase(server, database);
      }
      const result = await runContainer(all.restore, server, {
        DUMP_DIR: pvc,
        RESTORE_FILE: report.file,
      });
      expect(explain(result)).toMatch(/^exit 0/);
      expect(await fingerprints(server, DATABASES)).toEqual(original);
    });

    it('refuses a dump of another entity and a path outside the storage', async () => {
      for (const file of [
        'default/component/billing/dump-20240101T000000Z.sql.gz',
        `${containers.entityDir}/../billing/dump-20240101T000000Z.sql.gz`,
        `/etc/passwd`,
      ]) {
        const result = await runContainer(containers.restore, server, {
          DUMP_DIR: dumpDir(),
          RESTORE_FILE: file,
        });
        expect(result.code).not.toBe(0);
        expect(result.message).toHaveProperty('error');
      }
      expect(await fingerprints(server, DATABASES)).toEqual(original);
    });

    it('keeps the newest RETENTION_COUNT dumps, with distinct names within one second', async () => {
      const pvc = dumpDir();
      const reports: string[] = [];
      for (let i = 0; i < 4; i++) {
        reports.push((await dumpOnce(containers, pvc)).report.file);
      }
      expect(new Set(reports).size).toBe(4);
      expect([...reports].sort()).toEqual(reports);
      const kept = reports.slice(-2).map(file => path.basename(file));
      const entityDir = path.join(pvc, containers.entityDir);
      expect(fs.readdirSync(entityDir).sort()).toEqual(
        kept.flatMap(name => [name, `${name}.json`, `${name}.sha256`]).sort(),
      );
      // Each kept dump is still a valid restore point.
      for (const name of kept) {
        const check = await run('sha256sum', ['-c', `${name}.sha256`], {
          cwd: entityDir,
        });
        expect(explain(check)).toMatch(/^exit 0/);
      }
    });

    it('deletes the dumps older than RETENTION_MAX_AGE_SECONDS', async () => {
      const byAge = containersFor(DATABASES, '1h');
      expect(plannedEnv(byAge.dump).RETENTION_MAX_AGE_SECONDS).toBe('3600');
      const pvc = dumpDir();
      const first = await dumpOnce(byAge, pvc);
      const entityDir = path.dirname(first.file);
      const ext = path.basename(first.file).replace(/^dump-\d{8}T\d{6}Z\./, '');
      // The scripts read a dump's age from the UTC time in its name; the
      // files' mtimes are set to match.
      const backdate = (ageSeconds: number) => {
        const when = new Date(Date.now() - ageSeconds * 1000);
        const name = `dump-${dumpStamp(when)}.${ext}`;
        for (const suffix of ['', '.sha256', '.json']) {
          fs.copyFileSync(
            `${first.file}${suffix}`,
            path.join(entityDir, name + suffix),
          );
          fs.utimesSync(path.join(entityDir, name + suffix), when, when);
        }
        return name;
      };
      const ancient = backdate(30 * 24 * 3600);
      const old = backdate(2 * 3600);
      const recent = backdate(30 * 60);
      fs.writeFileSync(path.join(entityDir, 'notes.txt'), 'not a dump\n');
      // Another entity's old dump is never this entity's retention's business.
      const otherDir = path.join(pvc, 'default/component/billing');
      fs.mkdirSync(otherDir, { recursive: true });
      fs.copyFileSync(first.file, path.join(otherDir, ancient));

      const second = await dumpOnce(byAge, pvc);
      const remaining = fs.readdirSync(entityDir);
      for (const name of [ancient, old]) {
        expect(remaining.filter(file => file.startsWith(name))).toEqual([]);
      }
      for (const name of [
        recent,
        path.basename(first.file),
        path.basename(second.file),
      ]) {
        expect(remaining).toEqual(
          expect.arrayContaining([name, `${name}.sha256`, `${name}.json`]),
        );
      }
      expect(remaining).toContain('notes.txt');
      expect(fs.readdirSync(otherDir)).toEqual([ancient]);
    });
  },
);
