"""States of one format item through entry, submission and verification."""

from __future__ import annotations

from enum import StrEnum


class ItemState(StrEnum):
    DRAFT = "draf"
    SUBMITTED = "diserahkan"
    RETURNED = "dikembalikan"
    VERIFIED = "diverifikasi"

    @property
    def label(self) -> str:
        return ITEM_STATE_LABELS[self]

    @property
    def editable(self) -> bool:
        """The team may change the item only while it is a draft or was returned."""
        return self in (ItemState.DRAFT, ItemState.RETURNED)


ITEM_STATE_LABELS = {
    ItemState.DRAFT: "Draf",
    ItemState.SUBMITTED: "Diserahkan",
    ItemState.RETURNED: "Dikembalikan",
    ItemState.VERIFIED: "Diverifikasi",
}


class ReviewAction(StrEnum):
    SUBMITTED = "diserahkan"
    RETURNED = "dikembalikan"
    VERIFIED = "diverifikasi"
    COMMENT = "komentar"
    CORRECTED = "diperbaiki"
