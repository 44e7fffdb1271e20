"""visitor credentials: the hash of the secret each subject's banner holds

Subjects with receipts from before this revision get a credential without a hash: no
secret was ever handed out for them, so nobody (an attacker who knows their subject id
included) can claim them later. Their receipts stay reachable by the controller's auditors.

Revision ID: 0320
Revises: 0310
Create Date: 2026-12-02 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0320'
down_revision = '0310'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('visitor_credentials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_visitor_credentials_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visitor_credentials')),
    sa.UniqueConstraint('site_id', 'subject_id', name=op.f('uq_visitor_credentials_site_id_subject_id'))
    )
    op.execute(
        "INSERT INTO visitor_credentials (site_id, subject_id, secret_hash, created_at) "
        "SELECT site_id, subject_id, NULL, MIN(created_at) FROM consent_records "
        "WHERE subject_id IS NOT NULL GROUP BY site_id, subject_id"
    )


def downgrade():
    op.drop_table('visitor_credentials')
