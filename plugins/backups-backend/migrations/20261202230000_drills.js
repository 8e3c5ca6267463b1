// @ts-check

/**
 * Drills as records of their steps (like restores), and the slots that hold
 * `backups.drills.maxConcurrent` across replicas: a running drill takes one
 * slot row, whose primary key refuses a second drill in the same slot.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('backups_drills', table => {
    table.comment('One row per drill, with its steps and verdict as JSON');
    table.string('id', 64).primary();
    table.string('entity_ref', 255).notNullable().comment('Full entity ref');
    table
      .string('state', 32)
      .notNullable()
      .comment('running/passed/failed/missed-target');
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.text('record').notNullable().comment('The DrillRecord as JSON');
    table
      .integer('revision')
      .notNullable()
      .defaultTo(0)
      .comment('Counts updates, so that a stale one is refused');
    table.index(['entity_ref', 'requested_at']);
    table.index(['state']);
  });
  await knex.schema.createTable('backups_drill_slots', table => {
    table.comment('One row per running drill: at most maxConcurrent slots');
    table.integer('slot').primary();
    table.string('drill_id', 64).notNullable().unique();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('backups_drill_slots');
  await knex.schema.dropTable('backups_drills');
};
