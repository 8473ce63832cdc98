#!/usr/bin/env bash
# Build the Linux bundle of Kinerja Desktop (PyInstaller, one folder) and print its size.
#
#   installer/build.sh [--python PATH] [--dist DIR] [--work DIR]
#
# Result: DIR/kinerja-desktop/kinerja-desktop (bawaan dist/kinerja-desktop/).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
DIST="$ROOT/dist"
WORK="$ROOT/build/pyinstaller"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --python) PYTHON="$2"; shift 2 ;;
    --dist) DIST="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    *) echo "Argumen tidak dikenal: $1" >&2; exit 2 ;;
  esac
done

if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
  echo "PyInstaller belum terpasang. Jalankan: $PYTHON -m pip install -e '.[build]'" >&2
  exit 1
fi

BABEL_DATA="$("$PYTHON" -c 'import babel, os; print(os.path.join(os.path.dirname(babel.__file__), "locale-data"))')"

start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" "$ROOT/installer/kinerja-desktop.spec"
end=$(date +%s)

BUNDLE="$DIST/kinerja-desktop"
BUNDLE_BABEL="$(find "$BUNDLE" -type d -path '*babel/locale-data' | head -n 1)"
size_of() { du -sk "$1" | cut -f1; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }

echo "Bundel selesai dalam $((end - start)) detik: $BUNDLE"
echo "Data lokal Babel: sebelum $(mb "$(size_of "$BABEL_DATA")") ($(ls "$BABEL_DATA" | wc -l) berkas)," \
     "sesudah $(mb "$(size_of "$BUNDLE_BABEL")") ($(ls "$BUNDLE_BABEL" | wc -l) berkas: $(ls "$BUNDLE_BABEL" | tr '\n' ' '))"
echo "Ukuran bundel: $(mb "$(size_of "$BUNDLE")")"
"$BUNDLE/kinerja-desktop" --version
