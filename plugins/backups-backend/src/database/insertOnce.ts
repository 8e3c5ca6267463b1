import { Knex } from 'knex';

/**
 * Inserts a row whose primary key another caller (this or another replica)
 * may hold already: true when this caller inserted it, false when the key was
 * taken. Any other failure is thrown.
 */
export async function insertOnce<Row extends {}>(
  db: Knex,
  table: string,
  row: Row,
  key: Partial<Row>,
): Promise<boolean> {
  try {
    await db(table).insert(row);
    return true;
  } catch (error) {
    if (await db(table).where(key).first()) return false;
    throw error;
  }
}
