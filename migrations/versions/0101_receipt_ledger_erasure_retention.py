"""receipt ledger, ed25519 signatures, erasure and retention

Receipts get a leaf hash (backfilled from each stored token, whose body is the canonical
JSON that was signed), a log position, an optional Ed25519 signature and a link to the
erasure that emptied their personal fields. The ledger stores subtree hashes and signed
tree heads. Sites get a retention period; policy versions the purposes receipts quote.

Revision ID: 0101
Revises: 0004
Create Date: 2026-11-25 14:21:17.540698

"""
import base64
import binascii
import hashlib

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0101'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('log_hashes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_log_hashes'))
    )
    op.create_table('tree_heads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tree_size', sa.BigInteger(), nullable=False),
    sa.Column('root_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hmac_signature', sa.Text(), nullable=False),
    sa.Column('ed25519_kid', sa.String(length=64), nullable=True),
    sa.Column('ed25519_signature', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tree_heads')),
    sa.UniqueConstraint('tree_size', name=op.f('uq_tree_heads_tree_size'))
    )
    op.create_table('erasures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('subject_digest', sa.String(length=64), nullable=True),
    sa.Column('receipt_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_erasures_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasures'))
    )
    with op.batch_alter_table('erasures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasures_subject_digest'), ['subject_digest'], unique=False)

    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('leaf_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('log_index', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('ed25519_kid', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('ed25519_signature', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('erasure_id', sa.Integer(), nullable=True))
        batch_op.alter_column('subject_id',
               existing_type=sa.VARCHAR(length=64),
               nullable=True)
        batch_op.alter_column('path',
               existing_type=sa.VARCHAR(length=2048),
               nullable=True)
        batch_op.alter_column('receipt',
               existing_type=sa.TEXT(),
               nullable=True)
        batch_op.create_index('ix_consent_records_unsealed', ['id'], unique=False, sqlite_where=sa.text('log_index IS NULL'), postgresql_where=sa.text('log_index IS NULL'))
        batch_op.create_unique_constraint(batch_op.f('uq_consent_records_log_index'), ['log_index'])
        batch_op.create_foreign_key(batch_op.f('fk_consent_records_erasure_id_erasures'), 'erasures', ['erasure_id'], ['id'])

    _backfill_leaf_hashes()
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.alter_column('leaf_hash', existing_type=sa.String(length=64), nullable=False)

    # Server defaults only fill the existing rows; the application sets both from then on.
    with op.batch_alter_table('policy_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purposes', sa.JSON(), nullable=False, server_default='{}'))
    with op.batch_alter_table('policy_versions', schema=None) as batch_op:
        batch_op.alter_column('purposes', existing_type=sa.JSON(), server_default=None)

    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_days', sa.Integer(), nullable=False, server_default='1826'))
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.alter_column('retention_days', existing_type=sa.Integer(), server_default=None)


def _backfill_leaf_hashes():
    """A token is base64url(canonical JSON) "." signature: its leaf is that JSON."""
    records = sa.table('consent_records', sa.column('id'), sa.column('receipt'), sa.column('leaf_hash'))
    connection = op.get_bind()
    rows = connection.execute(sa.select(records.c.id, records.c.receipt)).all()
    for row_id, token in rows:
        body = token.split('.')[0]
        try:
            canonical = base64.urlsafe_b64decode(body + '=' * (-len(body) % 4))
        except binascii.Error:
            # Not a token we made: keep the row and hash what is stored, so that
            # verify-log reports this position instead of the migration failing.
            canonical = token.encode()
        connection.execute(
            records.update().where(records.c.id == row_id).values(
                leaf_hash=hashlib.sha256(b'\x00' + canonical).hexdigest()
            )
        )


def downgrade():
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_column('retention_days')

    with op.batch_alter_table('policy_versions', schema=None) as batch_op:
        batch_op.drop_column('purposes')

    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_consent_records_erasure_id_erasures'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_consent_records_log_index'), type_='unique')
        batch_op.drop_index('ix_consent_records_unsealed', sqlite_where=sa.text('log_index IS NULL'), postgresql_where=sa.text('log_index IS NULL'))
        batch_op.alter_column('receipt',
               existing_type=sa.TEXT(),
               nullable=False)
        batch_op.alter_column('path',
               existing_type=sa.VARCHAR(length=2048),
               nullable=False)
        batch_op.alter_column('subject_id',
               existing_type=sa.VARCHAR(length=64),
               nullable=False)
        batch_op.drop_column('erasure_id')
        batch_op.drop_column('ed25519_signature')
        batch_op.drop_column('ed25519_kid')
        batch_op.drop_column('log_index')
        batch_op.drop_column('leaf_hash')

    with op.batch_alter_table('erasures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasures_subject_digest'))

    op.drop_table('erasures')
    op.drop_table('tree_heads')
    op.drop_table('log_hashes')
