import { createHash } from 'node:crypto';

/** The alphabet of Kubernetes' generated names and hashes (k8s.io/apimachinery rand.SafeEncodeString). */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function safeEncode(text: string): string {
  return [...text]
    .map(char => SAFE_ALPHABET[char.charCodeAt(0) % SAFE_ALPHABET.length])
    .join('');
}

/** JSON with sorted keys, so equal objects hash equally. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries
      .map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A hash shaped like the controllers' `pod-template-hash` and
 * `controller-revision-hash` (FNV-32a, safe-encoded decimal). Not the same
 * value a real cluster computes: that hashes Go's object dump.
 */
export function templateHash(template: unknown): string {
  return safeEncode(String(fnv32a(stableJson(template ?? {}))));
}

/** Velero's label.GetValidName: names over 63 characters become 57 characters plus 6 of their sha256. */
export function validLabelValue(name: string): string {
  if (name.length <= 63) return name;
  const sha = createHash('sha256').update(name).digest('hex');
  return name.slice(0, 57) + sha.slice(0, 6);
}

/** `20060102150405` (UTC), as Velero names a Schedule's Backups. */
export function compactTimestamp(date: Date, withSeconds = true): string {
  const iso = date.toISOString();
  const compact = iso.slice(0, 19).replace(/[-T:]/g, '');
  return withSeconds ? compact : compact.slice(0, 12);
}

/** A random hex string, e.g. for container IDs and snapshot handles. */
export function randomHex(length: number): string {
  const bytes = Math.ceil(length / 2);
  return createHash('sha256')
    .update(`${Math.random()}-${Date.now()}-${bytes}`)
    .digest('hex')
    .slice(0, length);
}
