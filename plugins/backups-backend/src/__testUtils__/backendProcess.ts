/*
 * The backups backend plugin in a process of its own, for the tests that
 * kill a backend in the middle of a drill or run two replicas on one
 * PostgreSQL. The parent starts it with `startBackendProcess`; run as a
 * script (the child), it starts a test backend with the real scheduler
 * (Backstage's, coordinated through the database) and prints its port.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { knex as createKnex } from 'knex';
import { backupsPlugin } from '../plugin';

const OPTIONS_ENV = 'BACKUPS_BACKEND_PROCESS';
const LISTENING = 'backups backend process listening on ';

/** What the child runs with. */
export interface BackendProcessOptions {
  /** A PostgreSQL connection (as knex takes it) to the database every replica shares. */
  connection: unknown;
  /** app-config data. */
  config: JsonObject;
  /** What the catalog holds. */
  entities: Entity[];
}

export interface BackendProcess {
  /** Where its HTTP server listens, e.g. http://127.0.0.1:40123. */
  url: string;
  process: ChildProcess;
  /** What it printed so far (for a failing test's message). */
  output(): string;
  /** SIGKILL: no shutdown hook runs. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL if it does not exit within 10 s. */
  stop(): Promise<void>;
}

export async function startBackendProcess(
  options: BackendProcessOptions,
): Promise<BackendProcess> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      __filename,
    ],
    {
      env: { ...process.env, [OPTIONS_ENV]: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`The backend did not start within 60 s:\n${output}`)),
      60_000,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const port = output.match(new RegExp(`${LISTENING}(\\d+)`))?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', code => {
      clearTimeout(timer);
      reject(
        new Error(`The backend exited (${code}) before it started:\n${output}`),
      );
    });
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(name);
    }
    await exited;
  };
  return {
    url,
    process: child,
    output: () => output,
    kill: () => signal('SIGKILL'),
    stop: async () => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await signal('SIGTERM');
      clearTimeout(timer);
    },
  };
}

async function main() {
  const options: BackendProcessOptions = JSON.parse(process.env[OPTIONS_ENV]!);
  const knex = createKnex({
    client: 'pg',
    connection: options.connection as any,
  });
  const backend = await startTestBackend({
    features: [
      backupsPlugin,
      mockServices.database.factory({ knex }),
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.rootConfig.factory({ data: options.config }),
      schedulerServiceFactory,
    ],
  });
  const address = backend.server.address();
  const port = typeof address === 'object' ? address?.port : undefined;
  process.stdout.write(`${LISTENING}${port}\n`);
  process.once('SIGTERM', () => {
    backend
      .stop()
      .then(() => knex.destroy())
      .finally(() => process.exit(0));
  });
}

if (require.main === module) {
  main().catch(error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  });
}
