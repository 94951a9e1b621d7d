"""On PostgreSQL, audit rows cannot be changed or deleted, not even by the application's own
database user: a trigger refuses every UPDATE and DELETE (docs/audit.md). SQLite has no such
guard (a file anyone with access can edit); there the chain's hashes reveal a change."""

from django.db import migrations

FUNCTION = "audit_record_immutable"
TABLE = "audit_auditrecord"

INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '审计记录只可追加，不可修改或删除（% 被拒绝）', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$;
    """,
    f"DROP TRIGGER IF EXISTS {FUNCTION} ON {TABLE};",
    f"""
    CREATE TRIGGER {FUNCTION}
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
    """,
]

REMOVE = [
    f"DROP TRIGGER IF EXISTS {FUNCTION} ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {FUNCTION}();",
]


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL only (a no-op on SQLite)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [PostgresOnlySQL(sql=INSTALL, reverse_sql=REMOVE)]
