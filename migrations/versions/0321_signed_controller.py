"""consent records keep the data controller their receipt names

Until now the controller was read from the site when a receipt was checked or exported,
so renaming a site's controller made every earlier receipt look altered, and an erased
receipt's export row named the current controller instead of the signed one. Existing
rows get the site's current controller: exactly what their verification assumed so far.

Added in place (no table rebuild), which keeps the rollup triggers of 0201 on SQLite.
SQLite keeps the empty server default; PostgreSQL drops it, so an insert must name it.

Revision ID: 0321
Revises: 0320
Create Date: 2026-12-02 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0321'
down_revision = '0320'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        'consent_records',
        sa.Column('controller', sa.String(length=200), nullable=False, server_default=''),
    )
    postgresql = op.get_bind().dialect.name == 'postgresql'
    if postgresql:
        # The rollups do not count controllers: skip the statement trigger's two passes
        # over every row (SQLite's trigger only fires for the columns it counts).
        op.execute("ALTER TABLE consent_records DISABLE TRIGGER consent_stats_on_update")
    op.execute(
        "UPDATE consent_records SET controller = (SELECT CASE WHEN sites.controller = '' "
        "THEN sites.name ELSE sites.controller END FROM sites "
        "WHERE sites.id = consent_records.site_id)"
    )
    if postgresql:
        op.execute("ALTER TABLE consent_records ENABLE TRIGGER consent_stats_on_update")
        op.alter_column('consent_records', 'controller', server_default=None)


def downgrade():
    op.drop_column('consent_records', 'controller')
