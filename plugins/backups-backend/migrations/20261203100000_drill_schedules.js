// @ts-check

/**
 * Scheduled drills: since when each entity's drill schedule is known (runs
 * before that are not owed), and one row per run of a schedule that a
 * replica claimed, whose primary key makes each run start one drill, however
 * many replicas look at once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('backups_drill_schedules', table => {
    table.comment(
      'The drill schedule of each entity as last seen, and since when',
    );
    table.string('entity_ref', 255).primary().comment('Full entity ref');
    table.string('schedule', 255).notNullable();
    table.timestamp('since', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('backups_scheduled_drill_runs', table => {
    table.comment(
      'One row per run of a drill schedule that started (or tried)',
    );
    table.string('entity_ref', 255).notNullable().comment('Full entity ref');
    table.timestamp('scheduled_for', { useTz: true }).notNullable();
    table.string('drill_id', 64).nullable().comment('The drill it started');
    table
      .text('outcome')
      .nullable()
      .comment('Why no drill could start for this run, when none did');
    table.timestamp('claimed_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'scheduled_for']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('backups_scheduled_drill_runs');
  await knex.schema.dropTable('backups_drill_schedules');
};
