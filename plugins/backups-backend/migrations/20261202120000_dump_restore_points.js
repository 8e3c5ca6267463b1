// @ts-check

/**
 * Database dumps as restore points, recorded from the termination messages of
 * the dump pods, so that a dump stays listed after the CronJob's history
 * limit deletes its Job, until its own retention removes it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('backups_dump_restore_points', table => {
    table.comment('One row per finished dump pod');
    table.bigIncrements('id');
    table.string('entity_ref', 255).notNullable().comment('Full entity ref');
    table.string('cluster', 255).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('pod_name', 255).notNullable();
    table.string('job_name', 255).notNullable();
    table.boolean('succeeded').notNullable();
    table.boolean('on_demand').notNullable().defaultTo(false);
    table.text('file').nullable().comment('Path in the dump storage');
    table.bigInteger('bytes').nullable();
    table.string('sha256', 64).nullable();
    table.text('error').nullable().comment('Why the dump failed');
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).notNullable();
    table
      .integer('retention_count')
      .nullable()
      .comment('Keep the newest N dumps (RETENTION_COUNT of the dump)');
    table
      .bigInteger('retention_max_age_seconds')
      .nullable()
      .comment('Keep dumps younger than this (RETENTION_MAX_AGE_SECONDS)');
    table.unique(['cluster', 'namespace', 'pod_name']);
    table.index(['entity_ref', 'cluster', 'finished_at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('backups_dump_restore_points');
};
