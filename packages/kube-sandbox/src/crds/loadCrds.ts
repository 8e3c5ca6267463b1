import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { JSONSchemaProps } from '../validation/openApiSchema';

/** One served version of a CustomResourceDefinition, as the server needs it. */
export interface CustomResourceType {
  group: string;
  /** One entry per served version. */
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  /** Whether this is the storage version. */
  storage: boolean;
  subresources: { status: boolean };
  /** The version's openAPIV3Schema. */
  schema: JSONSchemaProps;
  additionalPrinterColumns?: unknown[];
  /** `<plural>.<group>`, the CRD's own name. */
  crdName: string;
  /** The file it came from. */
  source: string;
}

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: { status?: unknown };
  additionalPrinterColumns?: unknown[];
}

interface Crd {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: {
      kind: string;
      listKind?: string;
      plural: string;
      singular?: string;
      shortNames?: string[];
      categories?: string[];
    };
    versions?: CrdVersion[];
  };
}

function typesOf(crd: Crd, source: string): CustomResourceType[] {
  const spec = crd.spec;
  if (
    !spec?.group ||
    !spec.names?.kind ||
    !spec.names.plural ||
    !spec.versions
  ) {
    throw new Error(
      `${source}: not a complete apiextensions.k8s.io/v1 CustomResourceDefinition`,
    );
  }
  const { names } = spec;
  return spec.versions
    .filter(version => version.served)
    .map(version => {
      const schema = version.schema?.openAPIV3Schema;
      if (!schema)
        throw new Error(
          `${source}: version ${version.name} has no openAPIV3Schema`,
        );
      return {
        group: spec.group,
        version: version.name,
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        plural: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        namespaced: spec.scope === 'Namespaced',
        storage: version.storage === true,
        subresources: { status: version.subresources?.status !== undefined },
        schema,
        ...(version.additionalPrinterColumns
          ? { additionalPrinterColumns: version.additionalPrinterColumns }
          : {}),
        crdName: crd.metadata?.name ?? `${names.plural}.${spec.group}`,
        source,
      };
    });
}

/** Every CustomResourceDefinition in the `*.yaml` files of a folder, one entry per served version. */
export function loadCrds(dir: string): CustomResourceType[] {
  const files = fs
    .readdirSync(dir)
    .filter(file => file.endsWith('.yaml') || file.endsWith('.yml'))
    .sort();
  return files.flatMap(file => {
    const source = path.join(dir, file);
    const documents = parseAllDocuments(fs.readFileSync(source, 'utf8'));
    const list = Array.isArray(documents) ? documents : [documents];
    return list.flatMap(document => {
      if (document.errors.length > 0) {
        throw new Error(`${source}: ${document.errors[0].message}`);
      }
      const crd = document.toJS() as Crd | null;
      if (crd?.kind !== 'CustomResourceDefinition') return [];
      if (crd.apiVersion !== 'apiextensions.k8s.io/v1') {
        throw new Error(
          `${source}: ${crd.apiVersion} CRDs are not supported, only apiextensions.k8s.io/v1`,
        );
      }
      return typesOf(crd, source);
    });
  });
}

/**
 * A folder of `../shared` (the project's shared material): the first
 * `shared/<name>` found walking up from here or from the working directory.
 */
export function findSharedFolder(name: string): string | undefined {
  // This package is test and demo infrastructure that always runs from its
  // sources (package.json "main": "src/index.ts"), so __dirname is this folder.
  // eslint-disable-next-line no-restricted-syntax
  const starts = [__dirname, process.cwd()];
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'shared', name);
      if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) {
        return candidate;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/**
 * The CRD folder: `$KUBE_SANDBOX_CRDS` if set, else the first `shared/crds`
 * found walking up from here (`<repoRoot>/../shared/crds` in a checkout).
 */
export function defaultCrdDirectory(): string {
  const fromEnv = process.env.KUBE_SANDBOX_CRDS;
  if (fromEnv) return path.resolve(fromEnv);
  const found = findSharedFolder('crds');
  if (!found) {
    throw new Error(
      `No shared/crds folder found above this package or ${process.cwd()}; set KUBE_SANDBOX_CRDS to the folder of CRD YAML files`,
    );
  }
  return found;
}
