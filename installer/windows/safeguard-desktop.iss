; Inno Setup 6 script: one setup.exe that installs the folder build for this Windows user.
;
; Built by `uv run python installer/build.py --all --installer` on Windows, which passes
; the defines below; by hand (after build.py --onedir), from the project folder:
;   iscc /DAppVersion=0.1.0 /DAppVersionNumeric=0.1.0.0 installer\windows\safeguard-desktop.iss
;
; Choices:
; * Per-user, no administrator (PrivilegesRequired=lowest): a club volunteer on a
;   locked-down office PC can install it. Program in %LOCALAPPDATA%\Programs.
; * Records live elsewhere: platformdirs.user_data_dir("Safeguard Desktop",
;   appauthor=False) = %LOCALAPPDATA%\Safeguard Desktop (logs in its Logs folder).
;   Upgrades and uninstalls never touch it unless the user ticks the box on the
;   uninstaller's first page (see [Code]); silent uninstalls always keep it.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric "0.0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\safeguard-desktop-folder"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef IconFile
  #define IconFile "..\..\src\safeguard_desktop\resources\icons\safeguard-desktop.ico"
#endif

#define AppName "Safeguard Desktop"
#define AppExe "safeguard-desktop.exe"
#define DataFolderName "Safeguard Desktop"

[Setup]
; Never change AppId: it is how a newer setup.exe finds and upgrades this install.
AppId={{8F3C2A71-5B4E-4D2A-9C61-3E7B0F5A9D24}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
AppComments=Offline, encrypted safeguarding concern records
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} setup
VersionInfoCompany={#AppName}
VersionInfoCopyright=GPL-3.0-or-later
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
OutputDir={#OutputDir}
OutputBaseFilename=safeguard-desktop-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; A running copy holds its files open: ask to close it rather than fail half-way.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole program folder, so no file of an older version
; (a Qt plugin, a Python module) is left to be loaded by the new one.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Record, report and refer safeguarding concerns"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ The uninstaller's first page: keep the records (default) or delete them too.
  Inno's uninstaller has no wizard pages of its own, so the page is added to the
  progress form and shown modally before uninstalling starts (the pattern Inno
  Setup's maintainers recommend for custom uninstall pages). }

var
  DeleteDataCheckBox: TNewCheckBox;
  DeleteDataChosen: Boolean;

function DataFolder(): String;
begin
  Result := ExpandConstant('{localappdata}\{#DataFolderName}');
end;

procedure ContinueButtonClick(Sender: TObject);
begin
  UninstallProgressForm.ModalResult := mrOk;
end;

procedure InitializeUninstallProgressForm();
var
  Page: TNewNotebookPage;
  Explanation: TNewStaticText;
  ContinueButton: TNewButton;
  Form: TUninstallProgressForm;
  SavedPage: TNewNotebookPage;
  SavedCaption, SavedDescription: String;
  SavedCancelEnabled: Boolean;
  SavedCancelResult: Integer;
begin
  DeleteDataChosen := False;
  if UninstallSilent() or not DirExists(DataFolder()) then
    Exit;
  Form := UninstallProgressForm;

  Page := TNewNotebookPage.Create(Form);
  Page.Notebook := Form.InnerNotebook;
  Page.Parent := Form.InnerNotebook;
  Page.Align := alClient;

  Explanation := TNewStaticText.Create(Form);
  Explanation.Parent := Page;
  { The progress page's status line gives the page's usable left edge and width. }
  Explanation.Top := Form.StatusLabel.Top;
  Explanation.Left := Form.StatusLabel.Left;
  Explanation.Width := Form.StatusLabel.Width;
  Explanation.AutoSize := False;
  Explanation.Height := ScaleY(96);
  Explanation.WordWrap := True;
  Explanation.Caption :=
    'The program will be removed. Your organisation''s records stay on this PC, ' +
    'in ' + DataFolder() + ', so that a new copy of Safeguard Desktop can open them again.' + #13#10#13#10 +
    'Only tick the box below if the records have been moved to another PC or you have ' +
    'a backup, and your safeguarding lead agrees: deleted records cannot be recovered.';

  DeleteDataCheckBox := TNewCheckBox.Create(Form);
  DeleteDataCheckBox.Parent := Page;
  DeleteDataCheckBox.Top := Explanation.Top + Explanation.Height + ScaleY(8);
  DeleteDataCheckBox.Left := Form.StatusLabel.Left;
  DeleteDataCheckBox.Width := Form.StatusLabel.Width;
  DeleteDataCheckBox.Height := ScaleY(24);
  DeleteDataCheckBox.Caption := 'Also delete all records and settings on this PC';
  DeleteDataCheckBox.Checked := False;

  SavedPage := Form.InnerNotebook.ActivePage;
  SavedCaption := Form.PageNameLabel.Caption;
  SavedDescription := Form.PageDescriptionLabel.Caption;
  Form.InnerNotebook.ActivePage := Page;
  Form.PageNameLabel.Caption := 'Keep your records?';
  Form.PageDescriptionLabel.Caption := 'Choose what happens to the records stored on this PC.';

  ContinueButton := TNewButton.Create(Form);
  ContinueButton.Parent := Form;
  ContinueButton.Width := Form.CancelButton.Width;
  ContinueButton.Height := Form.CancelButton.Height;
  ContinueButton.Top := Form.CancelButton.Top;
  ContinueButton.Left := Form.CancelButton.Left - Form.CancelButton.Width - ScaleX(10);
  ContinueButton.Caption := 'Uninstall';
  ContinueButton.Default := True;
  ContinueButton.OnClick := @ContinueButtonClick;

  SavedCancelEnabled := Form.CancelButton.Enabled;
  SavedCancelResult := Form.CancelButton.ModalResult;
  Form.CancelButton.Enabled := True;
  Form.CancelButton.ModalResult := mrCancel;

  if Form.ShowModal() = mrCancel then
    Abort();

  DeleteDataChosen := DeleteDataCheckBox.Checked;
  if DeleteDataChosen then
    { A second, explicit question: the tick alone is too easy to leave by mistake. }
    DeleteDataChosen := MsgBox(
      'Delete every record in ' + DataFolder() + '? This cannot be undone.',
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;

  { Back to the normal progress page for the uninstall itself. }
  ContinueButton.Visible := False;
  Form.CancelButton.Enabled := SavedCancelEnabled;
  Form.CancelButton.ModalResult := SavedCancelResult;
  Form.InnerNotebook.ActivePage := SavedPage;
  Form.PageNameLabel.Caption := SavedCaption;
  Form.PageDescriptionLabel.Caption := SavedDescription;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DeleteDataChosen then
  begin
    if not DelTree(DataFolder(), True, True, True) then
      MsgBox('Some files in ' + DataFolder() + ' could not be deleted; delete the folder by hand.',
        mbError, MB_OK);
  end;
end;
