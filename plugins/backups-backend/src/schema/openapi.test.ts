import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** Every route the router serves is in the OpenAPI spec, and nothing else. */
describe('the OpenAPI spec', () => {
  const spec = YAML.parse(
    fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
  );
  const router = fs.readFileSync(path.join(__dirname, '../router.ts'), 'utf8');
  const routes = [
    ...router.matchAll(/router\.(get|post|put|delete)\(\s*'([^']+)'/g),
  ]
    .map(([, method, route]) => `${method} ${route.replace(/:(\w+)/g, '{$1}')}`)
    .sort();
  const documented = Object.entries(spec.paths as Record<string, object>)
    .flatMap(([route, operations]) =>
      Object.keys(operations).map(method => `${method} ${route}`),
    )
    .sort();

  it('documents exactly the routes of the router', () => {
    expect(routes.length).toBeGreaterThanOrEqual(6);
    expect(documented).toEqual(routes);
  });
});
