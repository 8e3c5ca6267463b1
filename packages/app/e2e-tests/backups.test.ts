/* eslint-disable no-console */
import { expect, Page, test } from '@playwright/test';
import path from 'node:path';

const SCREENSHOTS = path.resolve(
  __dirname,
  '../../../.test-results/screenshots',
);

async function screenshot(page: Page, name: string) {
  const file = path.join(SCREENSHOTS, `${name}.png`);
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
