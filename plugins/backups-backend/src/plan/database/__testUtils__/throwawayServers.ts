/*
 * Throwaway PostgreSQL and MariaDB servers for tests: each one runs from a
 * fresh data directory under its own temp dir, listens on 127.0.0.1 on a free
 * port (plus a Unix socket in the temp dir for the admin connection) and is
 * stopped and deleted by stop(). The binaries are the machine's (Debian's
 * postgresql and mariadb-server packages; see .ci/run).
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type ServerEngine = 'postgres' | 'mysql';

/** The result of a finished process. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion (no shell), optionally feeding stdin. */
export function run(
  command: string,
  args: string[],
  options: {
    input?: string;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    timeoutMs?: number;
  } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', chunk => stdout.push(chunk));
    child.stderr.on('data', chunk => stderr.push(chunk));
    const timer = setTimeout(
      () => child.kill('SIGKILL'),
      options.timeoutMs ?? 120_000,
    );
    child.on('error', error => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Like run(), but throws with the output unless the exit status is 0. */
async function runOk(
  command: string,
  args: string[],
  options: Parameters<typeof run>[2] = {},
): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${path.basename(command)} ${args.join(' ')} failed (${
        result.code ?? result.signal
      }):\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function pathDirectories(): string[] {
  return (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
}

/** /usr/lib/postgresql/<major>/bin, newest major first. */
function debianPostgresDirectories(): string[] {
  const root = '/usr/lib/postgresql';
  try {
    return fs
      .readdirSync(root)
      .filter(version => /^\d+$/.test(version))
      .sort((a, b) => Number(b) - Number(a))
      .map(version => path.join(root, version, 'bin'));
  } catch {
    return [];
  }
}

/** The first of `names` found in `directories`, as an absolute path. */
function findIn(directories: string[], names: string[]): string | undefined {
  for (const directory of directories) {
    for (const name of names) {
      const candidate = path.join(directory, name);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** The uid/gid of an OS user, from /etc/passwd. */
function osUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const line = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find(entry => entry.split(':')[0] === name);
    if (!line) {
      return undefined;
    }
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}

const isRoot = () => process.getuid?.() === 0;

interface PostgresBinaries {
  /** The directory of the server and its matching client tools. */
  binDir: string;
}

interface MariaDbBinaries {
  server: string;
  installDb: string;
  client: string;
  admin: string;
  /** Directory holding the client and dump tools, for the scripts' PATH. */
  clientDir: string;
}

type Found<T> = { ok: true; binaries: T } | { ok: false; missing: string[] };

function findPostgres(): Found<PostgresBinaries> {
  const tools = [
    'initdb',
    'pg_ctl',
    'postgres',
    'psql',
    'pg_dump',
    'pg_restore',
    'pg_isready',
  ];
  // One directory with all of them, so server and clients are one version.
  const binDir = [...debianPostgresDirectories(), ...pathDirectories()].find(
    directory => tools.every(tool => isExecutable(path.join(directory, tool))),
  );
  const missing: string[] = [];
  if (!binDir) {
    missing.push(
      `PostgreSQL server and client tools (${tools.join(
        ', ',
      )}) in one directory of PATH or /usr/lib/postgresql/*/bin`,
    );
  }
  if (isRoot()) {
    if (!osUser('postgres')) {
      missing.push(
        'the OS user "postgres" (PostgreSQL refuses to run as root)',
      );
    }
    if (!findIn(pathDirectories(), ['runuser'])) {
      missing.push('runuser');
    }
  }
  return binDir && missing.length === 0
    ? { ok: true, binaries: { binDir } }
    : { ok: false, missing };
}

function findMariaDb(): Found<MariaDbBinaries> {
  const directories = [
    ...pathDirectories(),
    '/usr/sbin',
    '/usr/bin',
    '/usr/libexec',
    '/usr/local/mysql/bin',
  ];
  const server = findIn(directories, ['mariadbd', 'mysqld']);
  const installDb = findIn(directories, [
    'mariadb-install-db',
    'mysql_install_db',
  ]);
  const client = findIn(directories, ['mariadb', 'mysql']);
  const admin = findIn(directories, ['mariadb-admin', 'mysqladmin']);
  const dump = findIn(directories, ['mariadb-dump', 'mysqldump']);
  const missing = [
    server ? undefined : 'mariadbd (MariaDB server)',
    installDb ? undefined : 'mariadb-install-db',
    client ? undefined : 'mariadb (client)',
    admin ? undefined : 'mariadb-admin',
    dump ? undefined : 'mariadb-dump',
  ].filter((entry): entry is string => entry !== undefined);
  return server && installDb && client && admin && dump
    ? {
        ok: true,
        binaries: {
          server,
          installDb,
          client,
          admin,
          clientDir: path.dirname(client),
        },
      }
    : { ok: false, missing };
}

/** What is missing on this machine to run a throwaway server of an engine. */
export function missingServerBinaries(engine: ServerEngine): string[] {
  const found = engine === 'postgres' ? findPostgres() : findMariaDb();
  return found.ok ? [] : found.missing;
}

/** A TCP port nobody listens on right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function pollUntil(
  what: string,
  ready: () => Promise<boolean>,
  options: { timeoutMs: number; failed?: () => string | undefined },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const failure = options.failed?.();
    if (failure) {
      throw new Error(`${what}: ${failure}`);
    }
    if (await ready()) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not ready after ${options.timeoutMs} ms`);
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

function readTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(-4000);
  } catch {
    return '(no log)';
  }
}

/** A login role / user with a password that the scripts connect as. */
export interface ServerUser {
  username: string;
  password: string;
}

/** A running throwaway server. */
export interface ThrowawayServer {
  readonly engine: ServerEngine;
  readonly port: number;
  /** Directories to put first in PATH so the scripts find the client tools. */
  readonly clientPath: string[];
  /** Runs SQL as the superuser in a database (or none); returns stdout (tab separated rows). */
  query(database: string | undefined, sql: string): Promise<string>;
  /** Stops the server and deletes its temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** The server once `init` succeeded; a server that failed to start is stopped. */
async function initialisedOrStopped<T extends { stop(): Promise<void> }>(
  server: T,
  init: () => Promise<void>,
): Promise<T> {
  try {
    await init();
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/**
 * PostgreSQL: initdb + pg_ctl as the `postgres` OS user when we are root,
 * local (socket) connections trusted for the admin, TCP with scram-sha-256.
 */
export class ThrowawayPostgres implements ThrowawayServer {
  readonly engine = 'postgres' as const;
  readonly clientPath: string[];
  private stopped = false;

  private constructor(
    private readonly binDir: string,
    private readonly dir: string,
    readonly port: number,
  ) {
    this.clientPath = [binDir];
  }

  private get dataDir() {
    return path.join(this.dir, 'data');
  }

  private static asServerUser(command: string, args: string[]) {
    return isRoot()
      ? { command: 'runuser', args: ['-u', 'postgres', '--', command, ...args] }
      : { command, args };
  }

  static async start(user: ServerUser): Promise<ThrowawayPostgres> {
    const found = findPostgres();
    if (!found.ok) {
      throw new Error(
        `PostgreSQL is not installed: ${found.missing.join('; ')}`,
      );
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backups-pg-'));
    const owner = isRoot() ? osUser('postgres') : undefined;
    if (owner) {
      fs.chownSync(dir, owner.uid, owner.gid);
    }
    const server = new ThrowawayPostgres(
      found.binaries.binDir,
      dir,
      await freePort(),
    );
    return initialisedOrStopped(server, () => server.init(user));
  }

  private async pgRun(tool: string, args: string[]) {
    const { command, args: full } = ThrowawayPostgres.asServerUser(
      path.join(this.binDir, tool),
      args,
    );
    return runOk(command, full, { cwd: this.dir });
  }

  private async init(user: ServerUser) {
    await this.pgRun('initdb', [
      '--pgdata',
      this.dataDir,
      '--username=postgres',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    fs.appendFileSync(
      path.join(this.dataDir, 'postgresql.conf'),
      [
        '',
        `port = ${this.port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${this.dir}'`,
        'fsync = off',
        'full_page_writes = off',
        'synchronous_commit = off',
        "password_encryption = 'scram-sha-256'",
        '',
      ].join('\n'),
    );
    // -w polls until the server accepts connections (or -t runs out).
    await this.pgRun('pg_ctl', [
      'start',
      '--pgdata',
      this.dataDir,
      '--log',
      path.join(this.dir, 'server.log'),
      '--wait',
      '--timeout=90',
    ]).catch(error => {
      throw new Error(
        `${error.message}\n${readTail(path.join(this.dir, 'server.log'))}`,
      );
    });
    await pollUntil(
      'PostgreSQL',
      async () =>
        (
          await run(path.join(this.binDir, 'pg_isready'), [
            '-h',
            '127.0.0.1',
            '-p',
            String(this.port),
          ])
        ).code === 0,
      { timeoutMs: 60_000 },
    );
    const password = user.password.replace(/'/g, "''");
    await this.query(
      'postgres',
      `CREATE ROLE "${user.username}" LOGIN CREATEDB PASSWORD '${password}'`,
    );
  }

  async query(database: string | undefined, sql: string): Promise<string> {
    return runOk(
      path.join(this.binDir, 'psql'),
      [
        '-X',
        '-q',
        '-At',
        '-F',
        '\t',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        this.dir,
        '-p',
        String(this.port),
        '-U',
        'postgres',
        '-d',
        database ?? 'postgres',
      ],
      {
        input: sql,
        env: { PATH: process.env.PATH, PGTZ: 'UTC', PGCLIENTENCODING: 'UTF8' },
      },
    );
  }

  async stop(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    if (fs.existsSync(path.join(this.dataDir, 'postmaster.pid'))) {
      await this.pgRun('pg_ctl', [
        'stop',
        '--pgdata',
        this.dataDir,
        '--mode=fast',
        '--wait',
        '--timeout=60',
      ]).catch(() =>
        this.pgRun('pg_ctl', [
          'stop',
          '--pgdata',
          this.dataDir,
          '--mode=immediate',
        ]).catch(() => undefined),
      );
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * MariaDB: mariadb-install-db into a fresh datadir, mariadbd in the
 * foreground (our child), root over the socket for the admin, and a real
 * user with a password for TCP (no --skip-grant-tables).
 */
export class ThrowawayMariaDb implements ThrowawayServer {
  readonly engine = 'mysql' as const;
  readonly clientPath: string[];
  private child?: ChildProcess;
  private exit?: string;
  private stopped = false;

  private constructor(
    private readonly binaries: MariaDbBinaries,
    private readonly dir: string,
    readonly port: number,
  ) {
    this.clientPath = [binaries.clientDir];
  }

  private get socket() {
    return path.join(this.dir, 'mysqld.sock');
  }

  static async start(user: ServerUser): Promise<ThrowawayMariaDb> {
    const found = findMariaDb();
    if (!found.ok) {
      throw new Error(`MariaDB is not installed: ${found.missing.join('; ')}`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backups-mariadb-'));
    const server = new ThrowawayMariaDb(found.binaries, dir, await freePort());
    return initialisedOrStopped(server, () => server.init(user));
  }

  private async init(user: ServerUser) {
    const dataDir = path.join(this.dir, 'data');
    const log = path.join(this.dir, 'server.log');
    const asUser = isRoot() ? ['--user=root'] : [];
    await runOk(this.binaries.installDb, [
      '--no-defaults',
      `--datadir=${dataDir}`,
      ...asUser,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
    ]);
    this.child = spawn(
      this.binaries.server,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--socket=${this.socket}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--pid-file=${path.join(this.dir, 'mysqld.pid')}`,
        `--log-error=${log}`,
        `--tmpdir=${this.dir}`,
        ...asUser,
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=64M',
        '--innodb-flush-log-at-trx-commit=0',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_unicode_ci',
      ],
      { stdio: 'ignore' },
    );
    this.child.on('exit', (code, signal) => {
      this.exit = `mariadbd exited (${code ?? signal})`;
    });
    this.child.on('error', error => {
      this.exit = `mariadbd did not start: ${error.message}`;
    });
    await pollUntil(
      'MariaDB',
      async () =>
        (
          await run(this.binaries.admin, [
            '--no-defaults',
            `--socket=${this.socket}`,
            '--user=root',
            '--connect-timeout=2',
            'ping',
          ])
        ).code === 0,
      {
        timeoutMs: 90_000,
        failed: () => this.exit && `${this.exit}\n${readTail(log)}`,
      },
    );
    const quote = (text: string) =>
      `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
    await this.query(
      undefined,
      `CREATE USER ${quote(user.username)}@'%' IDENTIFIED BY ${quote(
        user.password,
      )};
       GRANT ALL PRIVILEGES ON *.* TO ${quote(user.username)}@'%';`,
    );
  }

  async query(database: string | undefined, sql: string): Promise<string> {
    return runOk(
      this.binaries.client,
      [
        '--no-defaults',
        `--socket=${this.socket}`,
        '--user=root',
        '--batch',
        '--skip-column-names',
        '--default-character-set=utf8mb4',
        ...(database ? [`--database=${database}`] : []),
      ],
      { input: sql },
    );
  }

  async stop(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>(resolve =>
        child.once('exit', () => resolve()),
      );
      await run(this.binaries.admin, [
        '--no-defaults',
        `--socket=${this.socket}`,
        '--user=root',
        'shutdown',
      ]).catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Starts the throwaway server of an engine. */
export function startThrowawayServer(
  engine: ServerEngine,
  user: ServerUser,
): Promise<ThrowawayServer> {
  return engine === 'postgres'
    ? ThrowawayPostgres.start(user)
    : ThrowawayMariaDb.start(user);
}
