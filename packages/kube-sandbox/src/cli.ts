/* eslint-disable no-console */
import { parseArgs } from 'node:util';
import { startSandbox } from './Sandbox';

const USAGE = `Usage: kube-sandbox [options]

Starts the sandbox Kubernetes API server on 127.0.0.1 and prints the path of a
kubeconfig for it (contexts "sandbox" (admin) and "sandbox-readonly").

Options:
  --port <n>          port to listen on (default 6550; 0 picks a free one)
  --fixture <file>    YAML fixture to apply at start (repeatable)
  --speed <n>         simulated seconds per real second (default 60: an hour a minute)
  --kubeconfig <file> where to write the kubeconfig (default: a temporary file)
  --help              show this text`;

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '6550' },
      fixture: { type: 'string', multiple: true, default: [] },
      speed: { type: 'string', default: '60' },
      kubeconfig: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  const speed = Number(values.speed);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !(speed > 0)) {
    console.error(`Invalid --port or --speed.\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  const sandbox = await startSandbox({
    port,
    fixtures: values.fixture,
    kubeconfigPath: values.kubeconfig,
  });
  sandbox.clock.run(speed);
  console.log(
    `kube-sandbox listening on ${sandbox.url} (started in ${
      Date.now() - started
    } ms)`,
  );
  console.log(`kubeconfig: ${sandbox.kubeconfigPath}`);
  console.log(
    `tokens: admin ${sandbox.tokens.admin}, read-only ${sandbox.tokens.readOnly}`,
  );
  console.log(`simulated time runs ${speed}x real time`);
  const stop = async () => {
    await sandbox.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
