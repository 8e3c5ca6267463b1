import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

const SPEC_ID = 'openapi.yaml';

/**
 * A validator for a schema of `components.schemas` in the plugin's OpenAPI
 * spec, so tests can check that real responses match the published contract.
 */
export function openApiSchema(name: string): ValidateFunction {
  const spec = YAML.parse(
    fs.readFileSync(path.join(__dirname, '../schema/openapi.yaml'), 'utf8'),
  );
  // OpenAPI 3.0 adds `example` to JSON schema; nothing else is used here.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: SPEC_ID, components: spec.components });
  return ajv.compile({ $ref: `${SPEC_ID}#/components/schemas/${name}` });
}
