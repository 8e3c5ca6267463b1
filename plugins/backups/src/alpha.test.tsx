import { Entity } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import backupsPlugin from './alpha';
import { backupsApiRef } from './api';
import {
  createTestBackupsClient,
  serveBackupsApi,
} from './__testUtils__/backupsServer';
import { entityStatus, restorePointList } from './__testUtils__/statusFixtures';
import { intentOf, ordersEntity } from './__testUtils__/fixtures';

const backupsEntityContent = backupsPlugin.getExtension(
  'entity-content:backups/entity',
);

const server = setupServer();
registerMswTestHooks(server);

function entity(kind: string, annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'x', annotations },
  };
}

describe('backups plugin (new frontend system)', () => {
  it('is the backups plugin, providing the backups API and the entity tab', () => {
    expect(backupsPlugin.pluginId).toBe('backups');
    const api = createExtensionTester(
      backupsPlugin.getExtension('api:backups'),
    ).get(ApiBlueprint.dataRefs.factory);
    expect(api.api.id).toBe(backupsApiRef.id);
  });

  it('mounts a Backups tab at /backups', () => {
    const tester = createExtensionTester(backupsEntityContent);

    expect(tester.get(coreExtensionData.routePath)).toBe('/backups');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Backups');
  });

  it('shows the tab on components and resources, and on anything that opted in', () => {
    const filter = createExtensionTester(backupsEntityContent).get(
      EntityContentBlueprint.dataRefs.filterFunction,
    );
    expect(filter).toBeDefined();

    expect(filter!(entity('Component'))).toBe(true);
    expect(filter!(entity('Resource'))).toBe(true);
    expect(filter!(entity('System', { 'backups/policy': 'gold' }))).toBe(true);
    expect(filter!(entity('System'))).toBe(false);
    expect(filter!(entity('Group', { 'backups/layers': 'velero' }))).toBe(
      false,
    );
    expect(filter!(entity('User'))).toBe(false);
  });

  it('lets an app narrow the tab to opted-in entities through config', () => {
    const filter = createExtensionTester(backupsEntityContent, {
      config: {
        filter: { 'metadata.annotations.backups/policy': { $exists: true } },
      },
    }).get(EntityContentBlueprint.dataRefs.filterFunction);

    expect(filter!(entity('Component'))).toBe(false);
    expect(filter!(entity('Component', { 'backups/policy': 'gold' }))).toBe(
      true,
    );
  });

  it('renders the entity content with the intent from the backend', async () => {
    serveBackupsApi(server, {
      intent: { body: intentOf(ordersEntity) },
      status: { body: entityStatus('protected') },
      restorePoints: { body: restorePointList([]) },
    });
    const element = createExtensionTester(backupsEntityContent).reactElement();

    renderInTestApp(
      <EntityProvider entity={ordersEntity}>{element}</EntityProvider>,
      { apis: [[backupsApiRef, createTestBackupsClient()]] },
    );

    expect(await screen.findByText('Is it protected?')).toBeInTheDocument();
    expect(screen.getAllByText('Velero backups').length).toBeGreaterThan(0);
  });
});
