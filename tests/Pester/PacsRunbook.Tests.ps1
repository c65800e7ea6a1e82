# samples/Invoke-PacsRunbook.ps1 against a real Orthanc (Orthanc.ps1): one poll runs the sample model on the phantom
# series and stores the SEG back; the next poll finds nothing new. Then the same script over DIMSE (C-FIND, C-GET,
# C-STORE), switched by its connection alone.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Orthanc.ps1')
    $script:Orthanc = Start-TestOrthanc
    $script:Runbook = Join-Path $RepoRoot 'samples/Invoke-PacsRunbook.ps1'
    $null = New-DicomWebConnection -Uri $Orthanc.Uri -Credential $Orthanc.Credential -Name runbook-test
    $null = Send-DicomInstance -Connection runbook-test -Path (Join-Path $RepoRoot 'samples/phantom/dicom')
}

AfterAll {
    Get-DicomConnection | Remove-DicomConnection
    if ($script:Orthanc) { Stop-TestOrthanc $script:Orthanc }
}

Describe 'Invoke-PacsRunbook.ps1' {
    It 'polls, infers and stores the SEG back, then finds nothing new' {
        $work = Join-Path $TestDrive 'work'
        $done = @(& $Runbook -Uri $Orthanc.Uri -Credential $Orthanc.Credential -Mmar $SampleMmar -WorkPath $work -StudyDate 20240101- -Device Cpu -Once -WarningVariable w)
        $w | Should -BeNullOrEmpty
        $done.Count | Should -Be 1
        $done[0].PatientId | Should -Be 'PHANTOM0001'
        $done[0].Instances | Should -Be 40
        Test-Path $done[0].SegPath | Should -BeTrue
        $seg = @(Find-DicomSeries -Connection runbook-test -Modality SEG)
        $seg.Count | Should -Be 1
        $seg[0].StudyInstanceUid | Should -Be '2.25.30886435814071526820621879663004794400'
        (Get-Content (Join-Path $work 'processed.txt')) | Should -Be $done[0].SeriesInstanceUid

        @(& $Runbook -Connection runbook-test -Mmar $SampleMmar -WorkPath $work -StudyDate 20240101- -Device Cpu -Once).Count | Should -Be 0
    }

    It 'does the same over DIMSE when given a DIMSE connection' {
        $null = New-DicomConnection -HostName 127.0.0.1 -Port $Orthanc.DicomPort -CalledAE ORTHANC -Name runbook-dimse -TimeoutSec 30
        $work = Join-Path $TestDrive 'work-dimse'
        $done = @(& $Runbook -Connection runbook-dimse -Mmar $SampleMmar -WorkPath $work -StudyDate 20240101- -Device Cpu -Once -WarningVariable w)
        $w | Should -BeNullOrEmpty
        $done.Count | Should -Be 1
        $done[0].PatientId | Should -Be 'PHANTOM0001'
        $done[0].Instances | Should -Be 40
        @(Get-ChildItem -Recurse -File (Join-Path $work 'in')).Count | Should -Be 40
        $seg = @(Find-DicomSeries -Connection runbook-dimse -Modality SEG)
        $seg.Count | Should -Be 2
        $seg.SeriesInstanceUid | Should -Contain (Find-DicomSeries -Connection runbook-test -Modality SEG | Where-Object SeriesInstanceUid -ne $null).SeriesInstanceUid[0]
        (Get-Content (Join-Path $work 'processed.txt')) | Should -Be $done[0].SeriesInstanceUid

        @(& $Runbook -Connection runbook-dimse -Mmar $SampleMmar -WorkPath $work -StudyDate 20240101- -Device Cpu -Once).Count | Should -Be 0
    }
}
