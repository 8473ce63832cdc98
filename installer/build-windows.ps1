# Build Kinerja Desktop for Windows: the PyInstaller bundle, then the Inno Setup installer.
#
#   powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1
#
# Needs Python 3.11 (the "py" launcher) and Inno Setup 6 (ISCC.exe). Result:
#   dist\kinerja-desktop\kinerja-desktop.exe            (the bundle, one folder)
#   dist\installer\kinerja-desktop-<versi>-setup.exe    (the installer to hand out)
param(
    [string]$Python = "",
    [switch]$SkipInstaller
)
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

# 1. A build environment with the pinned dependencies and PyInstaller.
$Venv = Join-Path $Root ".venv-build"
if (-not (Test-Path (Join-Path $Venv "Scripts\python.exe"))) {
    if ($Python) { & $Python -m venv $Venv } else { & py -3.11 -m venv $Venv }
    if ($LASTEXITCODE -ne 0) { throw "Lingkungan Python tidak dapat dibuat (perlu Python 3.11)." }
}
$Py = Join-Path $Venv "Scripts\python.exe"
& $Py -m pip install --disable-pip-version-check -q -e ".[build]"
if ($LASTEXITCODE -ne 0) { throw "Paket tidak dapat dipasang." }

function SizeMB([string]$Path) {
    $bytes = (Get-ChildItem -Recurse -File $Path | Measure-Object -Sum Length).Sum
    return "{0:N1} MB" -f ($bytes / 1MB)
}

$Version = & $Py -c "import kinerja_desktop; print(kinerja_desktop.__version__)"
$BabelData = & $Py -c "import babel, os; print(os.path.join(os.path.dirname(babel.__file__), 'locale-data'))"

# 2. The bundle.
$Start = Get-Date
& $Py -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath (Join-Path $Root "dist") --workpath (Join-Path $Root "build\pyinstaller") `
    installer\kinerja-desktop.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller gagal." }
$Bundle = Join-Path $Root "dist\kinerja-desktop"
$Seconds = [int]((Get-Date) - $Start).TotalSeconds
$BundleBabel = Get-ChildItem -Recurse -Directory $Bundle | Where-Object { $_.FullName -like "*babel\locale-data" } | Select-Object -First 1
Write-Host "Bundel selesai dalam $Seconds detik: $Bundle"
Write-Host ("Data lokal Babel: sebelum {0} ({1} berkas), sesudah {2} ({3} berkas)" -f `
    (SizeMB $BabelData), (Get-ChildItem $BabelData).Count, (SizeMB $BundleBabel.FullName), `
    (Get-ChildItem $BundleBabel.FullName).Count)
Write-Host "Ukuran bundel: $(SizeMB $Bundle)"

# 3. The bundle must start: version, then the main window offscreen (smoke).
$Cli = Join-Path $Bundle "kinerja-desktop-cli.exe"
& $Cli --version
if ($LASTEXITCODE -ne 0) { throw "Bundel tidak dapat dijalankan." }
$SmokeDir = Join-Path ([System.IO.Path]::GetTempPath()) ("kinerja-smoke-" + [guid]::NewGuid())
& $Cli --data-dir $SmokeDir demo --through-step 3 --teams 1 --indicators 1
if ($LASTEXITCODE -ne 0) { throw "Data contoh tidak dapat dibuat dengan bundel." }
$env:QT_QPA_PLATFORM = "offscreen"
& $Cli --data-dir $SmokeDir smoke
$SmokeCode = $LASTEXITCODE
Remove-Item Env:QT_QPA_PLATFORM
Remove-Item -Recurse -Force $SmokeDir -ErrorAction SilentlyContinue
if ($SmokeCode -ne 0) { throw "Uji asap (smoke) bundel gagal." }

if ($SkipInstaller) { exit 0 }

# 4. The installer (Inno Setup 6).
$Iscc = @(
    (Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"),
    (Join-Path $env:ProgramFiles "Inno Setup 6\ISCC.exe"),
    (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe")
) | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
if (-not $Iscc) { throw "ISCC.exe (Inno Setup 6) tidak ditemukan. Pasang dari https://jrsoftware.org/isdl.php" }
& $Iscc /Q "/DAppVersion=$Version" installer\kinerja-desktop.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup gagal." }
$Setup = Join-Path $Root "dist\installer\kinerja-desktop-$Version-setup.exe"
Write-Host "Installer: $Setup ($(SizeMB $Setup))"
