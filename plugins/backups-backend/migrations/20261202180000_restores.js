// @ts-check

/**
 * Restores as records of their steps, and the one operation (restore or
 * drill) that may run per entity at a time: a row per running operation,
 * whose primary key makes a second one fail in the database, so that the
 * rule holds across backend replicas.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('backups_restores', table => {
    table.comment('One row per restore, with its steps as JSON');
    table.string('id', 64).primary();
    table.string('entity_ref', 255).notNullable().comment('Full entity ref');
    table.string('state', 32).notNullable().comment('running/completed/failed');
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.text('record').notNullable().comment('The RestoreRecord as JSON');
    table
      .integer('revision')
      .notNullable()
      .defaultTo(0)
      .comment('Counts updates, so that a stale one is refused');
    table.index(['entity_ref', 'requested_at']);
  });
  await knex.schema.createTable('backups_running_operations', table => {
    table.comment('The restore or drill running for an entity, if any');
    table.string('entity_ref', 255).primary();
    table.string('operation', 32).notNullable().comment('restore or drill');
    table.string('operation_id', 64).notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('backups_running_operations');
  await knex.schema.dropTable('backups_restores');
};
