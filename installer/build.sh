#!/usr/bin/env bash
# Build the Linux bundle of Kinerja Desktop (PyInstaller, one folder), print its size, start
# it once offscreen (smoke) and, with --install, install it for the current user.
#
#   installer/build.sh [--python PATH] [--dist DIR] [--work DIR] [--install]
#
# Result: DIR/kinerja-desktop/kinerja-desktop (bawaan: dist/kinerja-desktop/).
# --install copies it to ~/.local/opt/kinerja-desktop, links ~/.local/bin/kinerja-desktop
# and adds the menu entry and icon (no root needed). Data stays in ~/.local/share/kinerja-desktop.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
DIST="$ROOT/dist"
WORK="$ROOT/build/pyinstaller"
INSTALL=0

while [[ $# -gt 0 ]]; do
  case "$1" in
    --python) PYTHON="$2"; shift 2 ;;
    --dist) DIST="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --install) INSTALL=1; shift ;;
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
SMOKE_DIR="$(mktemp -d)"
trap 'rm -rf "$SMOKE_DIR"' EXIT
"$BUNDLE/kinerja-desktop" --data-dir "$SMOKE_DIR" demo --through-step 3 --teams 1 --indicators 1
QT_QPA_PLATFORM=offscreen "$BUNDLE/kinerja-desktop" --data-dir "$SMOKE_DIR" smoke
echo "Uji asap bundel: berhasil."

if [[ $INSTALL -eq 1 ]]; then
  DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}"
  TARGET="$HOME/.local/opt/kinerja-desktop"
  rm -rf "$TARGET.new"
  mkdir -p "$HOME/.local/opt" "$HOME/.local/bin" "$DATA_HOME/applications" \
           "$DATA_HOME/icons/hicolor/256x256/apps"
  cp -a "$BUNDLE" "$TARGET.new"
  rm -rf "$TARGET"
  mv "$TARGET.new" "$TARGET"
  ln -sfn "$TARGET/kinerja-desktop" "$HOME/.local/bin/kinerja-desktop"
  cp "$ROOT/resources/icons/kinerja-desktop.png" "$DATA_HOME/icons/hicolor/256x256/apps/"
  sed "s|^Exec=.*|Exec=$TARGET/kinerja-desktop|; s|^TryExec=.*|TryExec=$TARGET/kinerja-desktop|" \
    "$ROOT/installer/kinerja-desktop.desktop" > "$DATA_HOME/applications/kinerja-desktop.desktop"
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$DATA_HOME/applications" || true
  echo "Terpasang di $TARGET; menu aplikasi: Kinerja Desktop."
fi
