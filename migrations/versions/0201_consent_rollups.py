"""consent rollups: daily summary tables kept equal to consent_records by triggers

Revision ID: 0201
Revises: 0101
Create Date: 2026-11-25 14:20:49.009877

The dashboard reads consent_stats and category_stats instead of counting the raw log.
Triggers on consent_records add every insert, update and delete to them as a signed
difference (+1 for the new row, -1 for the old one), so they stay equal to a direct count
over the records whoever writes them: the ingest API, bulk seeding, erasure (which blanks
country, language and device class) or retention (which deletes). PostgreSQL uses
statement-level triggers with transition tables, so a bulk insert costs one grouped
upsert per statement (_grouped_upserts, also used to count existing rows). SQLite only
has row-level triggers; they upsert the one row directly (_row_upserts), which costs
half as much on the ingest path as grouping a one-row set.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0201'
down_revision = '0101'
branch_labels = None
depends_on = None

ACTIONS = ("accept_all", "reject_all", "custom", "withdraw", "gpc")
KEY = ("site_id", "day", "policy_version_id", "country", "language", "device_class")
# The consent_records columns a rollup depends on; an update of any other column (a
# ledger position, say) changes nothing.
SOURCE_COLUMNS = (
    "site_id", "created_at", "policy_version_id", "country", "language", "device_class",
    "action", "gpc", "granted", "denied",
)
DAY = {
    "sqlite": "date(r.created_at)",
    "postgresql": "(r.created_at AT TIME ZONE 'UTC')::date",
}
JSON_ELEMENTS = {
    "sqlite": "json_each(r.{column}) AS c",
    "postgresql": "json_array_elements_text(r.{column}) AS c(value)",
}


def _key_select(dialect):
    return (
        f"r.site_id AS site_id, {DAY[dialect]} AS day, r.policy_version_id AS policy_version_id, "
        "coalesce(r.country, '') AS country, coalesce(r.language, '') AS language, "
        "coalesce(r.device_class, '') AS device_class"
    )


def _grouped_upserts(dialect, source):
    """Two statements adding the signed rows of `source` (a subquery with a column `d` of
    +1 or -1 beside SOURCE_COLUMNS) to consent_stats and category_stats."""
    key = ", ".join(KEY)
    counts = {
        "decisions": "sum(r.d)",
        **{a: f"sum(CASE WHEN r.action = '{a}' THEN r.d ELSE 0 END)" for a in ACTIONS},
        "gpc_signal": "sum(CASE WHEN r.gpc THEN r.d ELSE 0 END)",
    }
    stats = (
        f"INSERT INTO consent_stats ({key}, impressions, impressions_gpc, {', '.join(counts)}) "
        f"SELECT {_key_select(dialect)}, 0, 0, {', '.join(counts.values())} "
        f"FROM {source} AS r WHERE true GROUP BY 1, 2, 3, 4, 5, 6 "
        f"HAVING {' OR '.join(f'{c} <> 0' for c in counts.values())} "
        f"ORDER BY 1, 2, 3, 4, 5, 6 "
        f"ON CONFLICT ({key}) DO UPDATE SET "
        + ", ".join(f"{c} = consent_stats.{c} + excluded.{c}" for c in counts)
    )
    parts = [
        f"SELECT {_key_select(dialect)}, c.value AS category, "
        f"{'r.d' if column == 'granted' else '0'} AS granted, "
        f"{'r.d' if column == 'denied' else '0'} AS denied "
        f"FROM {source} AS r, {JSON_ELEMENTS[dialect].format(column=column)} "
        "WHERE c.value <> 'necessary'"
        for column in ("granted", "denied")
    ]
    categories = (
        f"INSERT INTO category_stats ({key}, category, granted, denied) "
        f"SELECT {key}, category, sum(granted), sum(denied) "
        f"FROM ({' UNION ALL '.join(parts)}) AS e "
        "WHERE true GROUP BY 1, 2, 3, 4, 5, 6, 7 "
        "HAVING sum(granted) <> 0 OR sum(denied) <> 0 "
        "ORDER BY 1, 2, 3, 4, 5, 6, 7 "
        f"ON CONFLICT ({key}, category) DO UPDATE SET "
        "granted = category_stats.granted + excluded.granted, "
        "denied = category_stats.denied + excluded.denied"
    )
    return [stats, categories]


def _rows(sign, table):
    """Signed rows of a table: a transition table in PostgreSQL, or consent_records."""
    return f"SELECT {sign} AS d, {', '.join(SOURCE_COLUMNS)} FROM {table}"


def _source(*selects):
    return "(" + " UNION ALL ".join(selects) + ")"


def _row_upserts(row, sign):
    """Two SQLite statements adding one row (NEW or OLD in a trigger) times `sign`."""
    key = ", ".join(KEY)
    values = (
        f"{row}.site_id, date({row}.created_at), {row}.policy_version_id, "
        f"coalesce({row}.country, ''), coalesce({row}.language, ''), "
        f"coalesce({row}.device_class, '')"
    )
    counts = {
        "decisions": f"{sign}",
        **{a: f"({row}.action = '{a}') * {sign}" for a in ACTIONS},
        "gpc_signal": f"({row}.gpc <> 0) * {sign}",
    }
    stats = (
        f"INSERT INTO consent_stats ({key}, impressions, impressions_gpc, {', '.join(counts)}) "
        f"VALUES ({values}, 0, 0, {', '.join(counts.values())}) "
        f"ON CONFLICT ({key}) DO UPDATE SET "
        + ", ".join(f"{c} = {c} + excluded.{c}" for c in counts)
    )
    categories = (
        f"INSERT INTO category_stats ({key}, category, granted, denied) "
        f"SELECT {values}, c.value, c.g * {sign}, (1 - c.g) * {sign} "
        f"FROM (SELECT value, 1 AS g FROM json_each({row}.granted) "
        f"UNION ALL SELECT value, 0 AS g FROM json_each({row}.denied)) AS c "
        "WHERE c.value <> 'necessary' "
        f"ON CONFLICT ({key}, category) DO UPDATE SET "
        "granted = granted + excluded.granted, denied = denied + excluded.denied"
    )
    return [stats, categories]


def _create_sqlite_triggers():
    events = {
        "insert": ("INSERT", _row_upserts("NEW", 1)),
        "update": (
            f"UPDATE OF {', '.join(SOURCE_COLUMNS)}",
            _row_upserts("OLD", -1) + _row_upserts("NEW", 1),
        ),
        "delete": ("DELETE", _row_upserts("OLD", -1)),
    }
    for name, (event, statements) in events.items():
        body = ";\n".join(statements)
        op.execute(
            f"CREATE TRIGGER consent_stats_on_{name} AFTER {event} ON consent_records "
            f"FOR EACH ROW BEGIN\n{body};\nEND"
        )


def _create_postgresql_triggers():
    events = {
        "insert": ("REFERENCING NEW TABLE AS new_rows", [_rows(1, "new_rows")]),
        "update": (
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
            [_rows(-1, "old_rows"), _rows(1, "new_rows")],
        ),
        "delete": ("REFERENCING OLD TABLE AS old_rows", [_rows(-1, "old_rows")]),
    }
    for name, (referencing, selects) in events.items():
        body = ";\n".join(_grouped_upserts("postgresql", _source(*selects)))
        op.execute(
            f"CREATE FUNCTION consent_stats_on_{name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{body};\nRETURN NULL;\nEND\n$$"
        )
        op.execute(
            f"CREATE TRIGGER consent_stats_on_{name} AFTER {name.upper()} ON consent_records "
            f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION consent_stats_on_{name}()"
        )


def upgrade():
    op.create_table('consent_stats',
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('policy_version_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('device_class', sa.String(length=16), nullable=False),
    sa.Column('impressions', sa.Integer(), nullable=False),
    sa.Column('impressions_gpc', sa.Integer(), nullable=False),
    sa.Column('decisions', sa.Integer(), nullable=False),
    sa.Column('accept_all', sa.Integer(), nullable=False),
    sa.Column('reject_all', sa.Integer(), nullable=False),
    sa.Column('custom', sa.Integer(), nullable=False),
    sa.Column('withdraw', sa.Integer(), nullable=False),
    sa.Column('gpc', sa.Integer(), nullable=False),
    sa.Column('gpc_signal', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['policy_version_id'], ['policy_versions.id'], name=op.f('fk_consent_stats_policy_version_id_policy_versions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_consent_stats_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('site_id', 'day', 'policy_version_id', 'country', 'language', 'device_class', name=op.f('pk_consent_stats'))
    )
    op.create_table('category_stats',
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('policy_version_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('device_class', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('granted', sa.Integer(), nullable=False),
    sa.Column('denied', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['policy_version_id'], ['policy_versions.id'], name=op.f('fk_category_stats_policy_version_id_policy_versions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_category_stats_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('site_id', 'day', 'policy_version_id', 'country', 'language', 'device_class', 'category', name=op.f('pk_category_stats'))
    )
    dialect = op.get_bind().dialect.name
    # Count the records that exist already, then keep counting.
    for statement in _grouped_upserts(dialect, _source(_rows(1, "consent_records"))):
        op.execute(statement)
    if dialect == "postgresql":
        # Every decision rewrites a rollup row; free room in each page lets PostgreSQL
        # update it in place (a HOT update) instead of growing the table.
        op.execute("ALTER TABLE consent_stats SET (fillfactor = 70)")
        op.execute("ALTER TABLE category_stats SET (fillfactor = 70)")
        _create_postgresql_triggers()
    else:
        _create_sqlite_triggers()


def downgrade():
    dialect = op.get_bind().dialect.name
    for name in ("insert", "update", "delete"):
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER consent_stats_on_{name} ON consent_records")
            op.execute(f"DROP FUNCTION consent_stats_on_{name}()")
        else:
            op.execute(f"DROP TRIGGER consent_stats_on_{name}")
    op.drop_table('category_stats')
    op.drop_table('consent_stats')
