; Inno Setup 6 script: per-user installer of Kinerja Desktop (no administrator rights).
;
; Build the PyInstaller bundle first (installer\build-windows.ps1 does both), then:
;   ISCC.exe /DAppVersion=0.1.0 installer\kinerja-desktop.iss
; Result: dist\installer\kinerja-desktop-<versi>-setup.exe
;
; Installs into %LOCALAPPDATA%\Programs\Kinerja Desktop, adds Start-menu and desktop
; shortcuts with the app icon. The user's data (%LOCALAPPDATA%\kinerja-desktop: database,
; attachments, backups, logs) lives outside the program folder and is never removed by
; the uninstaller.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir SourcePath + "..\dist\kinerja-desktop"
#endif
#define AppName "Kinerja Desktop"
#define AppExe "kinerja-desktop.exe"
#define AppId "{{6F1E0C3A-5B7D-4E2A-9C61-3D8A4B2F7E10}"

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Kinerja Desktop
AppComments=SOP Pengumpulan Data Kinerja (bahan LKjIP)
; Per user, no UAC prompt: {autopf} is %LOCALAPPDATA%\Programs in this mode.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
OutputDir={#SourcePath}..\dist\installer
OutputBaseFilename=kinerja-desktop-{#AppVersion}-setup
SetupIconFile={#SourcePath}..\resources\icons\kinerja-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; Close a running copy (Restart Manager) before files are replaced or removed.
CloseApplications=yes
RestartApplications=no

[Languages]
; Indonesian is an unofficial Inno Setup translation: put Indonesian.isl next to this
; script or in Inno Setup's Languages folder; without it the wizard falls back to English
; (our own texts below stay Indonesian).
#if FileExists(SourcePath + "Indonesian.isl")
Name: "id"; MessagesFile: "{#SourcePath}Indonesian.isl"
#elif FileExists(CompilerPath + "Languages\Indonesian.isl")
Name: "id"; MessagesFile: "compiler:Languages\Indonesian.isl"
#elif FileExists(CompilerPath + "Languages\Unofficial\Indonesian.isl")
Name: "id"; MessagesFile: "compiler:Languages\Unofficial\Indonesian.isl"
#else
Name: "id"; MessagesFile: "compiler:Default.isl"
#endif

[CustomMessages]
id.IkonTambahan=Pintasan:
id.IkonDesktop=Buat pintasan di &desktop
id.Jalankan=Jalankan {#AppName} sekarang
id.DataTetap=Program telah dihapus. Data Anda (basis data, lampiran, cadangan dan log) tetap tersimpan di:%n%n%1%n%nHapus folder itu sendiri bila data benar-benar tidak diperlukan lagi.

[Tasks]
Name: "desktopicon"; Description: "{cm:IkonDesktop}"; GroupDescription: "{cm:IkonTambahan}"

[InstallDelete]
; An update replaces the whole bundle: no module of the previous version stays behind.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; IconFilename: "{app}\{#AppExe}"; Comment: "SOP Pengumpulan Data Kinerja"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; IconFilename: "{app}\{#AppExe}"; Comment: "SOP Pengumpulan Data Kinerja"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:Jalankan}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] entry: the uninstaller removes only what it installed. The data
; folder is created by the program itself, outside {app}, and is kept.

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := ExpandConstant('{localappdata}\kinerja-desktop');
    if DirExists(DataDir) and not UninstallSilent then
      MsgBox(FmtMessage(CustomMessage('DataTetap'), [DataDir]), mbInformation, MB_OK);
  end;
end;
