"""budget programmes, earlier years, document numbers, monitoring records

Revision ID: 0003_documents_programmes
Revises: 0003_cycle_record
Create Date: 2026-12-02

- ``programmes`` and ``cycle_programmes``: the budget table of the Dokumen Data Kinerja
  is per Program (pagu and realisasi per cycle, filled by the responsible team); an
  indicator belongs to at most one programme (``indicators.programme_id``). The pagu
  and realisasi anggaran stored per indicator stay as they are (the office still sees
  them); no programme is invented from them.
- ``indicator_actuals``: realisasi of earlier years typed in the indicator master.
- ``document_numbers``: the Nomor of a berita acara or tanda terima, assigned once.
- ``monitoring_records``: the date, semester and assessor of an SOP monitoring.
- ``sops.flowchart_title``: the title above the flowchart; the seeded SOP gets the
  seed's own title.
"""

import sqlalchemy as sa
from alembic import op

import kinerja_desktop.db.models

revision = '0003_documents_programmes'
down_revision = '0003_cycle_record'
branch_labels = None
depends_on = None

SEED_NUMBER = "25/DPMD/I/2017"
SEED_FLOWCHART_TITLE = ("MEKANISME PENGUMPULAN DATA KINERJA LAPORAN KINERJA DINAS PEMBERDAYAAN "
                        "MASYARAKAT DAN DESA TAHUN 2017")


def upgrade() -> None:
    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('activities', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_programmes_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes'))
    )
    op.create_table('cycle_programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('team_name', sa.String(length=200), nullable=False),
    sa.Column('activities', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('budget', sa.Float(), nullable=True),
    sa.Column('spent', sa.Float(), nullable=True),
    sa.Column('updated_at', kinerja_desktop.db.models.UTCDateTime(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_cycle_programmes_cycle_id_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_cycle_programmes_programme_id_programmes')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_cycle_programmes_team_id_teams')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['people.id'], name=op.f('fk_cycle_programmes_updated_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle_programmes')),
    sa.UniqueConstraint('cycle_id', 'programme_id', name=op.f('uq_cycle_programmes_cycle_id'))
    )
    with op.batch_alter_table('cycle_programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cycle_programmes_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('document_numbers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=120), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=True),
    sa.Column('document_date', sa.Date(), nullable=False),
    sa.Column('assigned_at', kinerja_desktop.db.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_document_numbers_cycle_id_cycles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_numbers')),
    sa.UniqueConstraint('kind', 'year', 'sequence', name=op.f('uq_document_numbers_kind')),
    sa.UniqueConstraint('subject', name=op.f('uq_document_numbers_subject'))
    )
    op.create_table('indicator_actuals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('actual', sa.Float(), nullable=True),
    sa.Column('actual_text', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_actuals_indicator_id_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_actuals')),
    sa.UniqueConstraint('indicator_id', 'year', name=op.f('uq_indicator_actuals_indicator_id'))
    )
    op.create_table('monitoring_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('semester', sa.String(length=3), nullable=False),
    sa.Column('monitoring_date', sa.Date(), nullable=False),
    sa.Column('assessor_id', sa.Integer(), nullable=True),
    sa.Column('assessor_name', sa.String(length=200), nullable=False),
    sa.Column('assessor_title', sa.String(length=300), nullable=False),
    sa.Column('assessor_pangkat', sa.String(length=80), nullable=False),
    sa.Column('assessor_nip', sa.String(length=18), nullable=True),
    sa.Column('updated_at', kinerja_desktop.db.models.UTCDateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assessor_id'], ['people.id'], name=op.f('fk_monitoring_records_assessor_id_people')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_monitoring_records_cycle_id_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['people.id'], name=op.f('fk_monitoring_records_updated_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_records')),
    sa.UniqueConstraint('cycle_id', 'semester', name=op.f('uq_monitoring_records_cycle_id'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('programme_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_indicators_programme_id_programmes'), 'programmes', ['programme_id'], ['id'])

    with op.batch_alter_table('sops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flowchart_title', sa.String(length=300), server_default='', nullable=False))

    # The seeded SOP keeps the title its flowchart carries in the source document.
    sops = sa.table('sops', sa.column('number', sa.String), sa.column('flowchart_title', sa.String))
    op.execute(sops.update().where(sops.c.number == SEED_NUMBER)
               .values(flowchart_title=SEED_FLOWCHART_TITLE))


def downgrade() -> None:
    with op.batch_alter_table('sops', schema=None) as batch_op:
        batch_op.drop_column('flowchart_title')

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_indicators_programme_id_programmes'), type_='foreignkey')
        batch_op.drop_column('programme_id')

    op.drop_table('monitoring_records')
    op.drop_table('indicator_actuals')
    op.drop_table('document_numbers')
    with op.batch_alter_table('cycle_programmes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cycle_programmes_cycle_id'))

    op.drop_table('cycle_programmes')
    op.drop_table('programmes')
