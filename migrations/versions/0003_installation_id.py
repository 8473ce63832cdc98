"""an id for this installation; control characters out of stored text

Revision ID: 0003_installation_id
Revises: 0002_file_contents
Create Date: 2026-12-02

Every database gets an installation id (``settings.installation_id``, a random UUID):
made here for a new database at setup and for an existing one at its next start. Team
workbooks carry it, and a workbook from another installation is refused on import.

Text stored before the input rules may hold control characters (a vertical tab pasted
from Word made a year's Excel report impossible to write): they are removed from the
columns people fill in, as the services now do for every new value. The audit log is
append-only and stays as it was (its writers escape what they print).
"""

import unicodedata
import uuid

import sqlalchemy as sa
from alembic import op

revision = '0003_installation_id'
down_revision = '0002_file_contents'
branch_labels = None
depends_on = None

#: (table, primary key, column, multi-line) as of this revision.
_TEXT_COLUMNS = (
    ("office_profile", "id", "name", False), ("office_profile", "id", "regency", False),
    ("office_profile", "id", "government", False), ("office_profile", "id", "address", False),
    ("office_profile", "id", "head_title", False), ("office_profile", "id", "head_name", False),
    ("office_profile", "id", "signing_place", False), ("people", "id", "name", False),
    ("people", "id", "jabatan", False), ("teams", "id", "name", False),
    ("teams", "id", "bidang", False), ("objectives", "id", "name", True),
    ("indicators", "id", "name", True), ("indicators", "id", "unit", False),
    ("indicators", "id", "data_source", True), ("indicator_targets", "id", "target_text", False),
    ("format_items", "id", "target_text", False), ("cycles", "id", "sk_number", False),
    ("cycles", "id", "sk_issuer", False), ("cycles", "id", "note", True),
    ("step_runs", "id", "note", True), ("sop_steps", "id", "activity", True),
    ("sop_steps", "id", "output", True), ("sop_steps", "id", "note", True),
    ("item_entries", "id", "actual_text", False), ("item_entries", "id", "explanation", True),
    ("item_entries", "id", "supporting", True), ("item_entries", "id", "inhibiting", True),
    ("item_entries", "id", "follow_up", True),
    ("item_entries", "id", "manual_justification", True),
    ("item_reviews", "id", "comment", True), ("office_days_off", "id", "description", False),
)


def _clean(text: str, multiline: bool) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for ch in text:
        if ch in "\n\t":
            kept.append(ch if multiline else " ")
        elif unicodedata.category(ch) in ("Cc", "Cs"):
            continue
        elif 0xFDD0 <= ord(ch) <= 0xFDEF or (ord(ch) & 0xFFFE) == 0xFFFE:
            continue
        else:
            kept.append(ch)
    return "".join(kept).strip()


def upgrade() -> None:
    bind = op.get_bind()
    found = bind.execute(sa.text("SELECT value FROM settings WHERE key = 'installation_id'"))
    if found.first() is None:
        bind.execute(sa.text("INSERT INTO settings (key, value) VALUES ('installation_id', :v)"),
                     {"v": uuid.uuid4().hex})
    for table, key, column, multiline in _TEXT_COLUMNS:
        rows = bind.execute(sa.text(f"SELECT {key}, {column} FROM {table} "
                                    f"WHERE {column} IS NOT NULL")).fetchall()
        for row_id, value in rows:
            cleaned = _clean(value, multiline)
            if cleaned != value:
                bind.execute(sa.text(f"UPDATE {table} SET {column} = :v WHERE {key} = :k"),
                             {"v": cleaned, "k": row_id})


def downgrade() -> None:
    op.get_bind().execute(sa.text("DELETE FROM settings WHERE key = 'installation_id'"))
