/* eslint-disable no-console */
import { parseArgs } from 'node:util';
import { runPlanCommand } from './planCommand';

const USAGE = `Usage: backstage-backups plan <catalog-info.yaml…> --config <app-config.yaml> [--config …] [--cluster <name>] [--snapscheduler]

Prints the Kubernetes objects the Backups plugin would create for the entities
in the catalog files, as multi-document YAML (e.g. to commit for GitOps).
Entities with bad backups/* annotations are listed on stderr (exit code 1).`;

function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', multiple: true, default: [] },
      cluster: { type: 'string' },
      snapscheduler: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, ...catalogFiles] = positionals;
  if (
    values.help ||
    command !== 'plan' ||
    catalogFiles.length === 0 ||
    values.config.length === 0
  ) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const result = runPlanCommand({
    catalogFiles,
    configFiles: values.config,
    cluster: values.cluster,
    snapScheduler: values.snapscheduler,
  });
  process.stdout.write(result.output);
  if (result.errors) console.error(result.errors);
  return result.exitCode;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(`backstage-backups: ${(error as Error).message}`);
  process.exitCode = 2;
}
