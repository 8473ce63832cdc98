"""plausibility rules per indicator, acknowledgement note per item, item field requirements

Revision ID: 0003_plausibility_item_fields
Revises: 0003_row_versions
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = '0003_plausibility_item_fields'
down_revision = '0003_row_versions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plausibility', sa.JSON(), nullable=True))
    with op.batch_alter_table('format_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fields', sa.JSON(), nullable=True))
    with op.batch_alter_table('item_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plausibility_note', sa.Text(), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('item_entries', schema=None) as batch_op:
        batch_op.drop_column('plausibility_note')
    with op.batch_alter_table('format_items', schema=None) as batch_op:
        batch_op.drop_column('fields')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_column('plausibility')
