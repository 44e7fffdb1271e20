"""admin console: banner and category texts per site, imported cookie catalog

Revision ID: 0202
Revises: 0201
Create Date: 2026-11-25 14:20:49.009877

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0202'
down_revision = '0201'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('catalog_cookies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pattern', sa.String(length=255), nullable=False),
    sa.Column('match', sa.String(length=8), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('domain', sa.String(length=255), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('duration', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_cookies')),
    sa.UniqueConstraint('pattern', 'match', name=op.f('uq_catalog_cookies_pattern_match'))
    )
    op.create_table('banner_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_banner_texts_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_banner_texts')),
    sa.UniqueConstraint('site_id', 'language', 'key', name=op.f('uq_banner_texts_site_id_language_key'))
    )
    op.create_table('category_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_category_texts_category_id_categories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category_texts')),
    sa.UniqueConstraint('category_id', 'language', name=op.f('uq_category_texts_category_id_language'))
    )


def downgrade():
    op.drop_table('category_texts')
    op.drop_table('banner_texts')
    op.drop_table('catalog_cookies')
