; Inno Setup 6 script: turns dist\OCOP-Desktop\ (built on Windows with
; `pyinstaller build_installer.spec`) into one setup.exe with a Start-menu
; shortcut, an optional desktop shortcut and an uninstaller.
;
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" installer\ocop-desktop.iss
;
; Output: dist\OCOP-Desktop-<version>-setup.exe. The version is read from the
; built ocop-desktop.exe (its version resource is generated from
; ocop_desktop.__version__), so it is never typed here.
; Not verified on the machine where the rest of the build is tested: see
; docs/building.md.

#define AppName "OCOP Desktop"
#define AppExe "ocop-desktop.exe"
#define BuildDir AddBackslash(SourcePath) + "..\dist\OCOP-Desktop"
#define AppVersion GetFileVersionString(BuildDir + "\" + AppExe)

[Setup]
; A fixed id: upgrades replace the earlier version instead of installing twice.
AppId={{6F0C7E52-3A1B-4C8E-9B7A-0C0D5E4F2A11}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=OCOP
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
SetupIconFile=..\resources\icons\ocop.ico
OutputDir=..\dist
OutputBaseFilename=OCOP-Desktop-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Per-user install without administrator rights is allowed (district laptops
; are often locked down); an administrator may still install for everyone.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Inno Setup ships no official Vietnamese translation; an unofficial
; Vietnamese.isl from the Inno Setup site can be added here.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The uninstaller removes the program folder only. The officer's data
; (%LOCALAPPDATA%\OCOP\OCOP Desktop) is left alone on purpose.
