// @ts-check

/**
 * Notifications: the ones sent, one row per entity, cause and UTC day, whose
 * primary key lets only one replica send it; and the layers last seen
 * failing, so that a layer that turns failing is told once, not every time
 * it is looked at.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('backups_notifications_sent', table => {
    table.comment(
      'At most one notification per entity, cause and UTC day, across replicas',
    );
    table.string('entity_ref', 255).notNullable().comment('Full entity ref');
    table
      .string('cause', 64)
      .notNullable()
      .comment('drill-failed, drill-missed-target, restore-failed, …');
    table.string('day', 10).notNullable().comment('The UTC day, YYYY-MM-DD');
    table.timestamp('sent_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'cause', 'day']);
    table.index(['day']);
  });
  await knex.schema.createTable('backups_failing_layers', table => {
    table.comment('The layers last seen failing, per entity and cluster');
    table.string('entity_ref', 255).notNullable().comment('Full entity ref');
    table.string('layer', 32).notNullable();
    table.string('cluster', 255).notNullable();
    table
      .timestamp('since', { useTz: true })
      .notNullable()
      .comment('When it was first seen failing');
    table.primary(['entity_ref', 'layer', 'cluster']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('backups_failing_layers');
  await knex.schema.dropTable('backups_notifications_sent');
};
