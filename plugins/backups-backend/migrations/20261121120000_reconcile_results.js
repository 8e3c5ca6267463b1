// @ts-check

/**
 * The latest reconcile result of each entity, as the API and the UI show it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('backups_reconcile_results', table => {
    table.comment('The latest reconcile result per catalog entity');
    table
      .string('entity_ref', 255)
      .primary()
      .notNullable()
      .comment('Full entity ref, lower case');
    table
      .string('state', 32)
      .notNullable()
      .comment('planned, not-opted-in, invalid or removed');
    table.boolean('dry_run').notNullable();
    table
      .boolean('succeeded')
      .notNullable()
      .comment('No annotation, cluster or object error');
    table.string('trigger', 32).notNullable().comment('schedule or request');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).notNullable();
    table.text('result').notNullable().comment('The result as JSON');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('backups_reconcile_results');
};
