# Every example in every cmdlet's help runs verbatim. The cmdlets are discovered from the module, so examples of
# cmdlets added later are run too. Each example runs in a fresh pwsh (Invoke-HelpExample.ps1) in its own scratch
# folder with the fixtures the examples may use:
#   ./mmar          a copy of the sample MMAR (samples/clara_pt_phantom_ct_segmentation)
#   ./ct.nii.gz     the phantom CT volume
#   ./studies/ct1   the phantom CT DICOM series
#   ./mdai_annotations.json  an MD.ai annotation export of the phantom's truth on that series (samples/phantom)
#   ./truth.nii.gz  the phantom's ground-truth label map (0 background, 1 organ, 2 lesion)
#   ./bundle        a copy of the golden CT segmentation MONAI bundle (tests/fixtures/bundles/golden-ct-seg)
#   ./bundle_eval   a copy of that bundle with a Model Zoo style evaluation config (tests/fixtures/bundles/eval-ct-seg)
#   ./data          a data root for the sample MMAR's validation datalist (imagesTr/labelsTr/phantom_020..023: the phantom)
#   pacs            a connection named 'pacs' to a test Orthanc (Orthanc.ps1) holding the phantom series, with
#                   $PacsUri and $PacsCredential (what an admin's New-DicomWebConnection would be given)
#   pacs-dimse      a DIMSE connection to the same Orthanc's DICOM port (AE ORTHANC), with $PacsHost and $PacsPort
# Anything else an example uses, it makes itself. Examples that use Should import Pester first; Pester is made
# importable by name (as it is where it is installed) through a module folder on PSModulePath.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Examples = foreach ($name in (Get-Module MdaiClara).ExportedCmdlets.Keys | Sort-Object) {
        $help = Get-Help $name -Full
        $i = 0
        foreach ($example in @($help.Examples.Example)) {
            $i++
            @{ Name = $name; Index = $i; Code = [string] $example.Code }
        }
    }
    $script:CmdletNames = @((Get-Module MdaiClara).ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Orthanc.ps1')
    $script:Orthanc = Start-TestOrthanc
    $env:MDAICLARA_TEST_PACS_PASSWORD = $Orthanc.Password
    $null = New-DicomWebConnection -Uri $Orthanc.Uri -Credential $Orthanc.Credential -Name examples-pacs
    $null = Send-DicomInstance -Connection examples-pacs -Path (Join-Path $RepoRoot 'samples/phantom/dicom')
    Remove-DicomConnection examples-pacs
    $script:Runner = Join-Path $PSScriptRoot 'Invoke-HelpExample.ps1'
    $script:PwshDll = Join-Path $PSHOME 'pwsh.dll'
    $script:Phantom = Join-Path $RepoRoot 'samples/phantom'

    # Pester by name: <TestDrive>/modules/Pester -> the folder of the Pester.psd1 running these tests.
    $pester = (Get-Module Pester).ModuleBase
    $script:ModulePath = Join-Path $TestDrive 'modules'
    $null = New-Item -ItemType Directory -Path $ModulePath
    $linkType = if ($IsWindows) { 'Junction' } else { 'SymbolicLink' }
    $null = New-Item -ItemType $linkType -Path (Join-Path $ModulePath 'Pester') -Target $pester

    function New-ExampleFolder([string] $Name) {
        $scratch = Join-Path $TestDrive "examples/$Name"
        $null = New-Item -ItemType Directory -Path (Join-Path $scratch 'studies/ct1')
        Copy-Item -LiteralPath $SampleMmar -Destination (Join-Path $scratch 'mmar') -Recurse
        Copy-Item -LiteralPath (Join-Path $Phantom 'phantom_ct.nii.gz') -Destination (Join-Path $scratch 'ct.nii.gz')
        Copy-Item -Path (Join-Path $Phantom 'dicom/*') -Destination (Join-Path $scratch 'studies/ct1')
        Copy-Item -LiteralPath (Join-Path $Phantom 'mdai_annotations.json') -Destination (Join-Path $scratch 'mdai_annotations.json')
        Copy-Item -LiteralPath (Join-Path $Phantom 'phantom_truth.nii.gz') -Destination (Join-Path $scratch 'truth.nii.gz')
        Copy-Item -LiteralPath (Join-Path $RepoRoot 'tests/fixtures/bundles/golden-ct-seg') -Destination (Join-Path $scratch 'bundle') -Recurse
        Copy-Item -LiteralPath (Join-Path $RepoRoot 'tests/fixtures/bundles/eval-ct-seg') -Destination (Join-Path $scratch 'bundle_eval') -Recurse
        foreach ($folder in 'imagesTr', 'labelsTr') { $null = New-Item -ItemType Directory -Path (Join-Path $scratch "data/$folder") }
        foreach ($n in 20..23) {
            Copy-Item -LiteralPath (Join-Path $Phantom 'phantom_ct.nii.gz') -Destination (Join-Path $scratch "data/imagesTr/phantom_0$n.nii.gz")
            Copy-Item -LiteralPath (Join-Path $Phantom 'phantom_truth.nii.gz') -Destination (Join-Path $scratch "data/labelsTr/phantom_0$n.nii.gz")
        }
        $scratch
    }

    function Invoke-HelpExample([string] $Name, [int] $Index, [string] $Code) {
        $scratch = New-ExampleFolder "$Name-$Index"
        $codeFile = Join-Path $TestDrive "examples/$Name-$Index.ps1"
        Set-Content -LiteralPath $codeFile -Value $Code
        $output = & dotnet $PwshDll -NoProfile -NonInteractive -File $Runner -ModuleManifest $ModuleManifest -Scratch $scratch -CodeFile $codeFile -ModulePath $ModulePath -PacsUri $Orthanc.Uri -PacsUser $Orthanc.User -PacsDicomPort $Orthanc.DicomPort 2>&1
        [pscustomobject] @{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String); Scratch = $scratch }
    }
}

AfterAll {
    if ($script:Orthanc) { Stop-TestOrthanc $script:Orthanc }
    Remove-Item Env:MDAICLARA_TEST_PACS_PASSWORD -ErrorAction SilentlyContinue
}

Describe 'Help of <Name>' -ForEach $CmdletNames {
    It 'has examples that use only the fixtures or what they make themselves' {
        $examples = @((Get-Help $Name -Full).Examples.Example)
        $examples.Count | Should -BeGreaterThan 0
        foreach ($example in $examples) {
            # Paths in examples are relative to the fixture folder, never a user's machine (C:\, \\share, /home).
            $example.Code | Should -Not -Match '[A-Za-z]:\\|\\\\\w|/home/|~/'
        }
    }
}

Describe 'Example <Index> of <Name>' -ForEach $Examples {
    It 'runs verbatim' {
        $result = Invoke-HelpExample $Name $Index $Code
        $result.ExitCode | Should -Be 0 -Because "the example`n$Code`nshould run as written; it said:`n$($result.Output)"
    }
}

Describe 'The example runner' {
    It 'fails an example that writes an error, so a passing example means it ran cleanly' {
        $result = Invoke-HelpExample 'Runner' 1 'Get-Mmar ./no-such-mmar'
        $result.ExitCode | Should -Not -Be 0
        $result.Output | Should -Match 'no-such-mmar'
    }

    It 'gives each example the fixtures' {
        $result = Invoke-HelpExample 'Runner' 2 '(Get-Mmar ./mmar).Name; (Import-MedicalImage ./ct.nii.gz).Shape -join "x"; (Import-MedicalImage ./studies/*).PatientID'
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match '(?m)^mmar\s*$'
        $result.Output | Should -Match '96x88x40'
        $result.Output | Should -Match 'PHANTOM0001'
    }

    It 'lets an example import Pester by name' {
        $result = Invoke-HelpExample 'Runner' 3 'Import-Module Pester; 1 | Should -Be 1; "pester ok"'
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match 'pester ok'
    }
}
