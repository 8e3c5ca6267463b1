import { createHash } from 'node:crypto';

const DNS_LABEL_LIMIT = 63;

/**
 * The scratch namespace of a drill, `<namespacePrefix><entity>-<id>`: a DNS
 * label, the entity's name lower-cased and shortened (with a hash of the
 * entity ref, so that two long names stay apart) to leave room for the id.
 */
export function drillNamespaceName(options: {
  prefix: string;
  entityRef: string;
  entityName: string;
  id: string;
}): string {
  const { prefix, id } = options;
  const name = options.entityName.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const exact = `${prefix}${name}-${id}`;
  if (exact.length <= DNS_LABEL_LIMIT && name === options.entityName) {
    return exact;
  }
  const digest = createHash('sha256')
    .update(options.entityRef)
    .digest('hex')
    .slice(0, 6);
  const room = DNS_LABEL_LIMIT - prefix.length - id.length - digest.length - 2;
  const head = name.slice(0, Math.max(1, room)).replace(/-+$/, '') || 'x';
  return `${prefix}${head}-${digest}-${id}`;
}

/** PostgreSQL's identifier limit (MySQL allows 64). */
const DATABASE_NAME_LIMIT = 63;

/**
 * The scratch database a drill loads the newest dump into, on the
 * component's own server: `<db>_drill_<id>`, the name shortened to fit.
 */
export function drillDatabaseName(options: {
  database: string;
  id: string;
}): string {
  const suffix = `_drill_${options.id}`;
  return `${options.database.slice(
    0,
    DATABASE_NAME_LIMIT - suffix.length,
  )}${suffix}`;
}
