"""catalog rows remember the catalog version that last changed them

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 03:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('product', 'shop'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            # rows already there are in any index built from now on: 0; new rows start at -1
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                          server_default='0'))
            batch_op.alter_column('version', server_default='-1')
            batch_op.create_index(batch_op.f(f'ix_{table}_version'), ['version'], unique=False)


def downgrade() -> None:
    for table in ('product', 'shop'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_version'))
            batch_op.drop_column('version')
