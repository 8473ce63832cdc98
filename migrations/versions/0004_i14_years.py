"""the earlier years a closing of a cycle compared with

Revision ID: 0004_i14_years
Revises: 0003_documents_programmes
Create Date: 2026-12-02

``record_versions.earlier_years``: the comparison with earlier years that a closing's
Dokumen Data Kinerja printed (the years, and per indicator and year the realisasi and
capaian, taken from an earlier cycle or typed in the indicator master), frozen at the
closing so that later edits of earlier-year values never change a closed year's
document. NULL for closings made before this revision (they keep reading the earlier
cycles as they stood when closed).
"""

import sqlalchemy as sa
from alembic import op

revision = '0004_i14_years'
down_revision = '0003_documents_programmes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('record_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('earlier_years', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('record_versions', schema=None) as batch_op:
        batch_op.drop_column('earlier_years')
