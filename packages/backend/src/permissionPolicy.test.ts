import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { eventually } from '@backups-for-backstage/kube-sandbox';
import { backupsPermissions } from '@backups-for-backstage/plugin-backups-common';
import path from 'node:path';
import request from 'supertest';
import { ExamplePermissionPolicy } from './permissionPolicy';

jest.setTimeout(60_000);

const examples = (file: string) =>
  path.resolve(__dirname, '../../../examples', file);

/** What the guest sign-in resolves from examples/org.yaml (the user and memberOf). */
const USERS = {
  guest: [
    'user:default/guest',
    'group:default/platform-team',
    'group:default/admins',
  ],
  dana: ['user:default/dana', 'group:default/team-orders'],
};

/**
 * The example policy's decisions, with its ownership conditions evaluated the
 * way the permission backend has them evaluated: by the catalog's
 * apply-conditions endpoint, against the example catalog's ownedBy relations.
 */
describe('the example permission policy', () => {
  const policy = new ExamplePermissionPolicy();
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component', 'Group', 'User', 'System'] }],
              locations: [
                { type: 'file', target: examples('entities.yaml') },
                { type: 'file', target: examples('org.yaml') },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    await eventually(async () => {
      const response = await request(server)
        .get('/api/catalog/entities/by-name/component/default/payments')
        .set('Authorization', mockCredentials.service.header());
      const relations: { type: string }[] = response.body.relations ?? [];
      if (!relations.some(relation => relation.type === 'ownedBy')) {
        throw new Error('The catalog has not processed payments yet');
      }
    }, 30_000);
  });

  afterAll(() => stop?.());

  /** Every backups permission's final result for `user` on `entity`. */
  async function decisions(user: keyof typeof USERS, entity: string) {
    const results: Record<string, string> = {};
    for (const permission of backupsPermissions) {
      const decision: PolicyDecision = await policy.handle(
        { permission },
        {
          info: {
            userEntityRef: USERS[user][0],
            ownershipEntityRefs: USERS[user],
          },
          credentials: mockCredentials.user(USERS[user][0]),
        },
      );
      if (decision.result !== AuthorizeResult.CONDITIONAL) {
        results[permission.name] = decision.result;
        continue;
      }
      expect(decision.pluginId).toBe('catalog');
      const applied = await request(server)
        .post('/api/catalog/.well-known/backstage/permissions/apply-conditions')
        .set('Authorization', mockCredentials.service.header())
        .send({
          items: [
            {
              id: '1',
              resourceRef: `component:default/${entity}`,
              resourceType: decision.resourceType,
              conditions: decision.conditions,
            },
          ],
        });
      expect(applied.status).toBe(200);
      results[permission.name] = `${applied.body.items[0].result} (owner)`;
    }
    return results;
  }

  it('lets an owner read, back up and restore to a new namespace, and nothing more', async () => {
    // orders is owned by team-orders, dana's team.
    expect(await decisions('dana', 'orders')).toEqual({
      'backups.entity.read': 'ALLOW',
      'backups.backup.create': 'ALLOW (owner)',
      'backups.restore.create': 'ALLOW (owner)',
      'backups.restore.in-place': 'DENY',
      'backups.drill.create': 'DENY',
      'backups.reconcile': 'DENY',
    });
  });

  it('lets anyone else only read', async () => {
    // payments is owned by team-payments.
    expect(await decisions('dana', 'payments')).toEqual({
      'backups.entity.read': 'ALLOW',
      'backups.backup.create': 'DENY (owner)',
      'backups.restore.create': 'DENY (owner)',
      'backups.restore.in-place': 'DENY',
      'backups.drill.create': 'DENY',
      'backups.reconcile': 'DENY',
    });
  });

  it('lets the members of admins do everything, owners or not', async () => {
    const all = await decisions('guest', 'payments');
    expect(Object.values(all)).toEqual(backupsPermissions.map(() => 'ALLOW'));
  });

  it('leaves every other plugin allowed, as the allow-all policy did', async () => {
    expect(
      await policy.handle({
        permission: {
          type: 'basic',
          name: 'catalog.entity.create',
          attributes: { action: 'create' },
        },
      }),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
