/* eslint-disable no-console */
const BACKEND = 'http://localhost:7007';
const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function guestToken(): Promise<string> {
  const response = await fetch(
    `${BACKEND}/api/auth/guest/refresh?optional&env=development`,
  );
  const body = await response.json();
  return body.backstageIdentity.token;
}

/**
 * Waits until the example portal tells its story: the backend answers, the
 * sandboxes have replayed their week, and orders has restore points.
 */
export default async function globalSetup() {
  const deadline = Date.now() + 5 * 60_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const token = await guestToken();
      const response = await fetch(
        `${BACKEND}/api/backups/entities/component/default/orders/status`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      const status = await response.json();
      last = `${response.status} ${status.state}`;
      const veleroPoints = status.layers?.find(
        (layer: { layer: string }) => layer.layer === 'velero',
      )?.restorePointCount;
      if (status.state === 'protected' && veleroPoints > 24) {
        console.log(`The example portal is up: orders is ${status.state}`);
        return;
      }
    } catch (error) {
      last = String(error);
    }
    await pause(2000);
  }
  throw new Error(`The example portal did not become ready: ${last}`);
}
