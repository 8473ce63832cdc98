"""The Indonesian Qt translation: the committed .qm is the compiled .ts, and it is complete."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TRANSLATIONS = REPO / "resources" / "translations"


def _build_module():
    spec = importlib.util.spec_from_file_location(
        "build_translations", REPO / "installer" / "build_translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_qm_is_the_compiled_ts(tmp_path):
    build = _build_module()
    sources = sorted(TRANSLATIONS.glob("*.ts"))
    assert [p.name for p in sources] == ["qtbase_id.ts"]
    for ts in sources:
        fresh = tmp_path / ts.with_suffix(".qm").name
        build.compile_ts(ts, fresh)
        committed = ts.with_suffix(".qm")
        assert committed.is_file(), f"{committed.name} belum dikompilasi"
        assert committed.read_bytes() == fresh.read_bytes(), (
            f"{committed.name} tidak sesuai dengan {ts.name}: jalankan "
            "python installer/build_translations.py dan commit hasilnya")


def test_every_message_is_translated_once():
    root = ET.parse(TRANSLATIONS / "qtbase_id.ts").getroot()
    assert root.get("language") == "id_ID"
    seen = set()
    for context in root.iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            key = (name, message.findtext("source"), message.findtext("comment") or "")
            assert key not in seen, key
            seen.add(key)
            translation = message.find("translation")
            assert translation is not None and translation.get("type") is None, key
            assert (translation.text or "").strip(), key
    contexts = {k[0] for k in seen}
    for needed in ("QPlatformTheme", "QLineEdit", "QWidgetTextControl", "QMessageBox",
                   "QWizard", "QProgressDialog", "QFileDialog", "QFileSystemModel",
                   "QPrintDialog", "QPrintSettingsOutput", "QPageSetupWidget",
                   "QPrintPreviewDialog", "QAbstractSpinBox"):
        assert needed in contexts, needed
