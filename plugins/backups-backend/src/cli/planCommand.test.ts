import path from 'node:path';
import YAML from 'yaml';
import { runPlanCommand } from './planCommand';

const REPO = path.resolve(__dirname, '../../../..');

describe('backstage-backups plan', () => {
  const result = runPlanCommand({
    catalogFiles: [path.join(REPO, 'examples/entities.yaml')],
    configFiles: [path.join(REPO, 'app-config.yaml')],
  });

  it('prints the example catalog’s planned objects as YAML that parses back', () => {
    const documents = YAML.parseAllDocuments(result.output).map(document =>
      document.toJS(),
    );
    expect(documents.length).toBeGreaterThan(5);
    for (const object of documents) {
      expect(object).toMatchObject({
        apiVersion: expect.any(String),
        kind: expect.any(String),
        metadata: {
          name: expect.any(String),
          labels: { 'app.kubernetes.io/managed-by': 'backstage-backups' },
          annotations: {
            'backups/entity-ref': expect.stringMatching(/^component:default\//),
          },
        },
      });
    }
    expect(result.output).not.toMatch(/[&*]a\d/); // no YAML anchors or aliases
    const kinds = new Set(documents.map(object => object.kind));
    expect(kinds).toEqual(
      new Set(['Schedule', 'CronJob', 'ServiceAccount', 'Role', 'RoleBinding']),
    );
  });

  it('reports the entities whose annotations are bad, and exits 1', () => {
    expect(result.exitCode).toBe(1);
    expect(result.errors).toContain(
      'component:default/broken-annotations: nothing planned',
    );
    expect(result.errors).toContain(
      'component:default/unknown-policy: nothing planned',
    );
    expect(result.errors).toContain(
      'backups/velero-ttl: "7d" is not a Go duration',
    );
    expect(result.output).not.toContain('broken-annotations');
  });

  it('limits the output to one cluster when asked', () => {
    const only = runPlanCommand({
      catalogFiles: [path.join(REPO, 'examples/entities.yaml')],
      configFiles: [path.join(REPO, 'app-config.yaml')],
      cluster: 'sandbox-dr',
    });
    const entityRefs = new Set(
      YAML.parseAllDocuments(only.output).map(
        document => document.toJS().metadata.annotations['backups/entity-ref'],
      ),
    );
    expect(entityRefs).toEqual(new Set(['component:default/product-catalog']));
  });
});
