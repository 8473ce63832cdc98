"""stored files keep their content in the database

Revision ID: 0002_file_contents
Revises: 0001_initial
Create Date: 2026-12-02

Evidence and scanned SK files move from the data folder's ``lampiran/`` into the
database (``stored_file_chunks``), so every PC of an office server reaches them and a
file is registered in the same transaction as the row that refers to it. Files already
in ``lampiran/`` are imported at the next start (services.files.import_legacy_files),
checked against their hash, and the folder is then renamed, never deleted.
"""

import sqlalchemy as sa
from alembic import op

revision = '0002_file_contents'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stored_file_chunks',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['stored_files.sha256'], name=op.f('fk_stored_file_chunks_sha256_stored_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sha256', 'position', name=op.f('pk_stored_file_chunks'))
    )
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=255), server_default='', nullable=False))
        batch_op.add_column(sa.Column('mime', sa.String(length=100), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_column('mime')
        batch_op.drop_column('name')
    op.drop_table('stored_file_chunks')
