"""visitor credentials go by a hash of the subject id and stay as tombstones

Erasing a subject used to delete its credential, so anyone who knew the erased id could
claim it again (and learn from the answer that it had been erased). Now credentials are
found by `subject_key` (SHA-256 of the subject id), and erasure keeps the row with only
that key: the id cannot be claimed again, and no id is kept.

Revision ID: 0322
Revises: 0321
Create Date: 2026-12-02 14:00:00

"""
import hashlib

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0322'
down_revision = '0321'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('visitor_credentials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_key', sa.String(length=64), nullable=True))
        batch_op.alter_column('subject_id', existing_type=sa.String(length=64), nullable=True)
        batch_op.drop_constraint('uq_visitor_credentials_site_id_subject_id', type_='unique')
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, subject_id FROM visitor_credentials")).all()
    keys = [
        {"id": row_id, "key": hashlib.sha256(subject.encode("utf-8")).hexdigest()}
        for row_id, subject in rows
    ]
    if keys:
        connection.execute(
            sa.text("UPDATE visitor_credentials SET subject_key = :key WHERE id = :id"), keys
        )
    with op.batch_alter_table('visitor_credentials', schema=None) as batch_op:
        batch_op.alter_column('subject_key', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f('uq_visitor_credentials_site_id_subject_key'), ['site_id', 'subject_key']
        )
        batch_op.create_index('ix_visitor_credentials_site_subject', ['site_id', 'subject_id'])


def downgrade():
    # Tombstones have no subject id to go back to.
    op.execute("DELETE FROM visitor_credentials WHERE subject_id IS NULL")
    with op.batch_alter_table('visitor_credentials', schema=None) as batch_op:
        batch_op.drop_index('ix_visitor_credentials_site_subject')
        batch_op.drop_constraint(
            batch_op.f('uq_visitor_credentials_site_id_subject_key'), type_='unique'
        )
        batch_op.alter_column('subject_id', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(
            'uq_visitor_credentials_site_id_subject_id', ['site_id', 'subject_id']
        )
        batch_op.drop_column('subject_key')
