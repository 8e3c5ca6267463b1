import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { defaultCrdDirectory } from '../../crds';

/** A Kubernetes object found in a ```yaml block of one of the seed articles. */
export interface SeedObject {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** `shared/seeds`, beside `shared/crds`. */
export function seedDirectory(): string {
  return path.join(path.dirname(defaultCrdDirectory()), 'seeds');
}

/** Every object of every parseable ```yaml block in the seeds, in file order. */
export function seedObjects(): SeedObject[] {
  const dir = seedDirectory();
  const objects: SeedObject[] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.txt'))
    .sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const block of text.matchAll(/```ya?ml[^\n]*\n([\s\S]*?)```/g)) {
      for (const document of parseAllDocuments(block[1])) {
        if (document.errors.length > 0) continue;
        const value = document.toJS();
        if (value?.apiVersion && value?.kind && value?.metadata?.name) {
          objects.push({ ...value, file });
        }
      }
    }
  }
  return objects;
}

/** The seed object of that kind and name; throws when the seeds have none. */
export function seedObject(kind: string, name: string): SeedObject {
  const found = seedObjects().find(
    o => o.kind === kind && o.metadata.name === name,
  );
  if (!found)
    throw new Error(`No ${kind} ${name} in the seeds (${seedDirectory()})`);
  return found;
}

/** The object without the `file` it came from, as a client would send it. */
export function asSent(object: SeedObject): Record<string, unknown> {
  const { file, ...sent } = object;
  return sent;
}
