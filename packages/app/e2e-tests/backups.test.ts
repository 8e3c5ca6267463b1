/* eslint-disable no-console */
import { expect, Page, test } from '@playwright/test';
import path from 'node:path';

const SCREENSHOTS = path.resolve(
  __dirname,
  '../../../.test-results/screenshots',
);

async function screenshot(page: Page, name: string) {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // From the top, or the fixed sidebar is drawn where the page was scrolled to.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
}

/** Opens a page of the portal, signing in as guest when asked. */
async function open(page: Page, url: string) {
  await page.goto(url);
  const enter = page.getByRole('button', { name: 'Enter' });
  const signedIn = page.getByRole('navigation');
  await expect(enter.or(signedIn).first()).toBeVisible({ timeout: 120_000 });
  if (await enter.isVisible()) await enter.click();
}

test('orders is protected, with its restore points', async ({ page }) => {
  await open(page, '/catalog/default/component/orders/backups');
  await expect(page.getByText('Is it protected?')).toBeVisible();
  await expect(page.getByTestId('compliance-reason')).toContainText(
    'Protected: the freshest good copy of the data is',
  );
  await expect(page.getByText('Velero backups: restore points')).toBeVisible();
  await expect(page.getByText('Database dumps: restore points')).toBeVisible();
  await screenshot(page, '1-orders-protected');
});

test('Back up now on the Velero layer lands as a new restore point', async ({
  page,
}) => {
  await open(page, '/catalog/default/component/orders/backups');
  const button = page.getByRole('button', {
    name: 'Back up now: a Velero backup in sandbox',
  });
  await expect(button).toBeEnabled();
  await button.click();
  const started = page.getByText(
    /^Started Backup orders-velero-\d{14} in sandbox/,
  );
  await expect(started).toBeVisible();
  const name = (await started.textContent())!.match(/orders-velero-\d{14}/)![0];
  console.log(`started ${name}`);
  const veleroTable = page
    .locator('div[class*="MuiPaper"]')
    .filter({ hasText: 'Velero backups: restore points' })
    .last();
  // The on-demand Backup runs 30 s in the sandbox; the tab polls meanwhile.
  // Its row (the restore point's id is the Taken cell's title) must end up
  // Completed and counted as good.
  const row = veleroTable.locator('tr', {
    has: page.locator(`span[title="${name}"]`),
  });
  await expect(row).toContainText('Back up now', { timeout: 60_000 });
  await expect(row).toContainText('Completed', { timeout: 120_000 });
  await expect(row).toContainText('good');
  await screenshot(page, '2-orders-backed-up-now');
});

test('a component whose selector matches nothing is at risk, saying so', async ({
  page,
}) => {
  await open(page, '/catalog/default/component/search/backups');
  await expect(page.getByTestId('compliance-reason')).toContainText('At risk');
  await expect(
    page
      .getByText(
        'The workload selector backstage.io/kubernetes-id=search matches no pod in namespace shop of cluster sandbox: its Velero backups hold nothing of the workload.',
      )
      .first(),
  ).toBeVisible();
  await screenshot(page, '3-search-at-risk');
});

test('the fleet page is in the sidebar and filters by owner', async ({
  page,
}) => {
  await open(page, '/catalog');
  await page
    .getByRole('navigation')
    .getByRole('link', { name: 'Backups' })
    .click();
  await expect(page).toHaveURL(/\/backups$/);
  await expect(page.getByRole('link', { name: 'orders' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'payments' })).toBeVisible();
  await page.locator('#backups-filter-owner').click();
  await page
    .getByRole('listbox')
    .getByText('group:default/team-payments', { exact: true })
    .click();
  await expect(page.getByRole('link', { name: 'orders' })).toBeHidden();
  await expect(page.getByRole('link', { name: 'payments' })).toBeVisible();
  await screenshot(page, '4-fleet-by-owner');
});

test("restores orders' newest Velero backup to a new namespace, its steps advancing", async ({
  page,
}) => {
  await open(page, '/catalog/default/component/orders/backups');
  const veleroTable = page
    .locator('div[class*="MuiPaper"]')
    .filter({ hasText: 'Velero backups: restore points' })
    .last();
  const restore = veleroTable
    .getByRole('button', { name: /^Restore from orders-velero-\d{14}$/ })
    .first();
  await expect(restore).toBeEnabled({ timeout: 30_000 });
  await restore.click();
  const dialog = page.getByRole('dialog', {
    name: /^Restore velero backups from orders-velero-\d{14}$/,
  });
  await expect(
    dialog.getByRole('textbox', { name: 'New namespace' }),
  ).toHaveValue(/^shop-restore-[0-9a-f]{6}$/);
  await expect(
    dialog.getByRole('list', { name: 'What will happen' }),
  ).toContainText("the component's backup CronJobs are left out");
  await dialog
    .getByLabel('Why (for the history and the audit log)')
    .fill('the browser suite');
  await dialog.getByRole('button', { name: 'Restore' }).click();
  await expect(dialog).toBeHidden();

  // Signals push each step; the sandbox's Restore runs 15 s.
  const progress = page.getByLabel(/^Restore [0-9a-f]{8} in progress$/);
  await expect(progress).toBeVisible();
  await expect(progress).toContainText('Velero restores the backup');
  await screenshot(page, '5-orders-restore-running');
  await expect(progress).toBeHidden({ timeout: 120_000 });
  await expect(
    page.getByText(
      /^Restored into the new namespace shop-restore-[0-9a-f]{6} of cluster sandbox/,
    ),
  ).toBeVisible();
  await screenshot(page, '6-orders-restored');
});

// After the restore above: a drill holds orders (one restore or drill per
// entity at a time, 409 otherwise) until its clean-up is done, which is when
// its verdict lands. The suite runs one worker, in file order.
test('a drill on orders as admin: its steps advance, then the verdict and a point on the RTO chart', async ({
  page,
}) => {
  // Six steps on the demo world's durations (Velero's Restore 15 s, the
  // database Job 20 s, a 5 s sweep): about 40 s; room for a loaded machine.
  test.setTimeout(300_000);
  // Guest is a member of group:default/admins in the example catalog, so the
  // example policy allows backups.drill.create.
  await open(page, '/catalog/default/component/orders/backups');
  const drills = page
    .locator('div[class*="MuiPaper"]')
    .filter({
      hasText:
        'Each drill restores the newest restore points into a scratch namespace',
    })
    .last();
  const run = drills.getByRole('button', { name: 'Run drill' });
  await expect(run).toBeEnabled({ timeout: 60_000 });
  await run.click();

  // Signals push each step as the backend moves the drill on.
  const progress = page.getByLabel(/^Drill [0-9a-f]{8} in progress$/);
  await expect(progress).toBeVisible();
  const id = (await progress.getAttribute('aria-label'))!.match(
    /[0-9a-f]{8}/,
  )![0];
  console.log(`started drill ${id}`);
  await expect(progress).toContainText(
    `Drilling into drill-orders-${id} in sandbox`,
  );
  await expect(run).toBeDisabled();
  const step = (title: string) =>
    progress.locator('.MuiStep-root').filter({ hasText: title });
  const namespaceStep = step(`Create the namespace drill-orders-${id}`);
  const veleroStep = step('Velero restores the newest good backup into');
  const databaseStep = step('Load the newest good dump into the scratch');
  const cleanupStep = step(`Delete drill-orders-${id} and everything else`);
  await expect(namespaceStep).toHaveClass(/MuiStep-completed/);
  await expect(veleroStep).toHaveClass(/MuiStep-completed/, {
    timeout: 120_000,
  });
  // Velero's step is done, the database and the clean-up are not yet; the
  // step in progress says what it waits for.
  await expect(databaseStep).not.toHaveClass(/MuiStep-completed/);
  await expect(cleanupStep).not.toHaveClass(/MuiStep-completed/);
  await expect(progress.getByRole('status').first()).toBeVisible();
  await screenshot(page, '7-orders-drill-running');

  // The verdict lands once the clean-up is done.
  await expect(progress).toBeHidden({ timeout: 240_000 });
  await expect(drills.getByRole('alert')).toBeHidden();
  // Newest first: the first row under the header is this drill.
  const row = drills.getByRole('row').nth(1);
  await expect(row).toContainText(/Passed|Missed target/);
  await expect(row).toContainText('user:default/guest');
  await expect(row).toContainText('/ 30 min'); // the RTO target of gold
  await expect(run).toBeEnabled();

  // The chart: a point for this drill, and its sentence for screen readers.
  const chart = drills.getByRole('img', {
    name: /^Achieved RTO of \d+ finished drill\(s\) from .+, against the RTO target of 30 min: \d+ passed, \d+ missed the target, \d+ failed without an RTO\.$/,
  });
  await expect(chart).toBeVisible();
  const point = chart
    .getByTestId('drill-rto-point')
    .filter({ hasText: `Drill ${id},` });
  await expect(point).toHaveCount(1);
  await expect(point).toHaveAttribute('data-state', /^(passed|missed-target)$/);
  await expect(point).toContainText(/: (Passed|Missed target), restored in /);
  console.log(`drill ${id}: ${await point.textContent()}`);
  console.log(`chart: ${await chart.getAttribute('aria-label')}`);
  await screenshot(page, '7-orders-drill');
});
