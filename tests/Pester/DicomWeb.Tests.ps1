# The PACS commands against a real Orthanc (DICOMweb plugin, authentication on), started for this file by
# Orthanc.ps1 and stopped in AfterAll whatever the tests did.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Orthanc.ps1')
    $script:Phantom = Join-Path $RepoRoot 'samples/phantom/dicom'
    $script:GoldenS16 = Join-Path $Fixtures 'dicom/golden_series/dcm_ct_s16/dicom'
    $script:Orthanc = Start-TestOrthanc
    $script:Pacs = New-DicomWebConnection -Uri $Orthanc.Uri -Credential $Orthanc.Credential -Name pacs -RetryCount 1
    $script:Stored = @(Send-DicomInstance -Connection pacs -Path $Phantom, $GoldenS16)

    function Get-Sop([string] $File) {
        & /usr/bin/python3 -c 'import sys, pydicom; print(pydicom.dcmread(sys.argv[1], stop_before_pixels=True).SOPInstanceUID)' $File
    }
}

AfterAll {
    Get-DicomConnection | Remove-DicomConnection
    if ($script:Orthanc) { Stop-TestOrthanc $script:Orthanc }
}

Describe 'New-DicomWebConnection' {
    It 'registers a named connection that shows no secret' {
        $Pacs.PSObject.TypeNames[0] | Should -Be 'MdaiClara.DicomConnection'
        $Pacs.Name | Should -Be 'pacs'
        (Get-DicomConnection pacs).Endpoint | Should -Be "$($Orthanc.Uri)/"
        $text = ($Pacs | Format-List * | Out-String) + ($Pacs | Format-Table | Out-String) + "$Pacs" + ($Pacs | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue)
        $text | Should -Match 'Basic \(mdaiclara\)'
        $text | Should -Not -Match ([regex]::Escape($Orthanc.Password))
    }

    It 'never shows a bearer token' {
        $token = ConvertTo-SecureString 'tok-SHOULD-NOT-APPEAR-5521' -AsPlainText -Force
        $c = New-DicomWebConnection -Uri https://pacs.example.org/dicom-web -BearerToken $token -Name tokened -Verbose 4>&1
        ($c | Format-List * | Out-String) + "$c" | Should -Not -Match 'SHOULD-NOT-APPEAR'
        (Get-DicomConnection tokened).Authentication | Should -Be 'Bearer token'
        Remove-DicomConnection tokened
        Get-DicomConnection tokened -ErrorAction SilentlyContinue -ErrorVariable e | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -Match '^DicomConnectionNotFound'
    }

    It 'refuses an address with a password in it without echoing it' {
        { New-DicomWebConnection -Uri 'http://u:hunter2secret@pacs/dicom-web' -Name bad } | Should -Throw -ErrorId 'DicomConnectionInvalid,*'
        try { New-DicomWebConnection -Uri 'http://u:hunter2secret@pacs/dicom-web' -Name bad } catch { "$_" | Should -Not -Match 'hunter2secret' }
    }

    It 'names the defined connections when an unknown one is asked for' {
        { Find-DicomStudy -Connection nosuch } | Should -Throw '*no PACS connection named ''nosuch''*pacs*'
    }
}

Describe 'Send-DicomInstance' {
    It 'stores every file and reports each instance' {
        $Stored.Count | Should -Be 70
        $Stored | ForEach-Object { $_.Status | Should -Be 'Stored' }
        $Stored[0].PSObject.TypeNames[0] | Should -Be 'MdaiClara.DicomStoreResult'
        ($Stored | Format-Table | Out-String) | Should -Match 'Stored'
    }

    It 'takes Get-ChildItem output and reports a file that is not DICOM as an error, storing the rest' {
        $junk = Join-Path $TestDrive 'notes.txt'
        Set-Content $junk 'not a DICOM file, just some text'
        $r = @(@(Get-Item $junk) + @(Get-ChildItem $Phantom | Select-Object -First 2) | Send-DicomInstance -Connection pacs -ErrorAction SilentlyContinue -ErrorVariable e)
        $r.Count | Should -Be 2
        $e.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -Match '^DicomStoreInputInvalid'
        "$($e[0])" | Should -Match 'notes\.txt'
    }

    It 'sends nothing with -WhatIf' {
        @(Send-DicomInstance -Connection pacs -Path $Phantom -WhatIf).Count | Should -Be 0
    }
}

Describe 'Find-DicomStudy and Find-DicomSeries' {
    It 'finds a study by patient, date range and modality, with a table view' {
        $s = @(Find-DicomStudy -Connection pacs -PatientID PHANTOM0001 -StudyDate 20240101- -Modality CT)
        $s.Count | Should -Be 1
        $s[0].PSObject.TypeNames[0] | Should -Be 'MdaiClara.DicomStudy'
        $s[0].NumberOfInstances | Should -Be 40
        ($s | Out-String) | Should -Match 'PHANTOM0001\s+2024-05-01\s+SAMPLE0001\s+CT'
        @(Find-DicomStudy -Connection pacs -StudyDate 20261201-).Count | Should -Be 0
    }

    It 'pages with -Limit and -Offset' {
        $all = @(Find-DicomStudy -Connection $Pacs).StudyInstanceUid | Sort-Object
        $pages = 0, 1 | ForEach-Object { (Find-DicomStudy -Connection pacs -Limit 1 -Offset $_).StudyInstanceUid }
        $all.Count | Should -Be 2
        ($pages | Sort-Object) | Should -Be $all
    }

    It 'finds the series of piped studies' {
        $series = @(Find-DicomStudy -Connection pacs -PatientID PHANTOM0001 | Find-DicomSeries)
        $series.Count | Should -Be 1
        $series[0].Modality | Should -Be 'CT'
        $series[0].NumberOfInstances | Should -Be 40
        ($series | Out-String) | Should -Match 'PHANTOM0001\s+2024-05-01\s+CT\s+1\s+40'
    }

    It 'rejects a malformed date range before asking the server' {
        { Find-DicomSeries -Connection pacs -StudyDate 2024-01-01 } | Should -Throw -ErrorId 'DicomQueryInvalid,*'
    }
}

Describe 'Receive-DicomSeries' {
    It 'retrieves a series bit for bit, and fetches nothing the second time' {
        $in = Join-Path $TestDrive 'in'
        $r = Find-DicomSeries -Connection pacs -PatientID PHANTOM0001 | Receive-DicomSeries -Path $in
        $r.PSObject.TypeNames[0] | Should -Be 'MdaiClara.DicomSeriesReceipt'
        $r.Received | Should -Be 40
        $r.Path | Should -Be (Join-Path $in $r.SeriesInstanceUid)
        # Same bytes: the 40 files' hashes are the originals' hashes, and each file is named by its own SOP Instance UID.
        $received = @(Get-ChildItem $r.Path)
        $received.Count | Should -Be 40
        ($received | Get-FileHash).Hash | Sort-Object | Should -Be ((Get-ChildItem $Phantom | Get-FileHash).Hash | Sort-Object)
        $first = $received | Select-Object -First 1
        Get-Sop $first.FullName | Should -Be $first.BaseName
        ($r | Out-String) | Should -Match '40\s+40\s+0'
        $again = Find-DicomSeries -Connection pacs -PatientID PHANTOM0001 | Receive-DicomSeries -Path $in
        $again.Skipped | Should -Be 40
        $again.Received | Should -Be 0
    }

    It 'feeds Invoke-ClaraInference straight from the pipeline' {
        $out = Join-Path $TestDrive 'out'
        $results = @(Find-DicomSeries -Connection pacs -PatientID PHANTOM0001 | Receive-DicomSeries -Path (Join-Path $TestDrive 'in2') |
            Invoke-ClaraInference -Mmar $SampleMmar -OutputPath $out -Device Cpu)
        $results.Count | Should -Be 1
        $results[0].PatientID | Should -Be 'PHANTOM0001'
        @(Get-ChildItem $out -Filter *_seg.nii.gz).Count | Should -Be 1
    }

    It 'reports an unknown series for that series only' {
        $r = Receive-DicomSeries -Connection pacs -StudyInstanceUID 1.2.3 -SeriesInstanceUID 1.2.3.4 -Path (Join-Path $TestDrive 'none') -ErrorAction SilentlyContinue -ErrorVariable e
        $r | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -Match '^DicomWebNotFound'
    }

    It 'writes nothing with -WhatIf' {
        $target = Join-Path $TestDrive 'whatif'
        Find-DicomSeries -Connection pacs -PatientID PHANTOM0001 | Receive-DicomSeries -Path $target -WhatIf
        Test-Path $target | Should -BeFalse
    }
}

Describe 'A wrong password' {
    It 'is a terminating error that never contains the password' {
        $wrong = 'wrong-PASSWORD-never-shown-77'
        $cred = [pscredential]::new($Orthanc.User, (ConvertTo-SecureString $wrong -AsPlainText -Force))
        $null = New-DicomWebConnection -Uri $Orthanc.Uri -Credential $cred -Name wrong
        $all = & {
            try {
                Find-DicomSeries -Connection wrong -Modality CT -Verbose -Debug | Receive-DicomSeries -Path (Join-Path $TestDrive 'x')
                'NOT STOPPED'
            } catch {
                $_.FullyQualifiedErrorId
                $_ | Format-List * -Force | Out-String
                $_.Exception.ToString()
            }
        } *>&1 | Out-String
        $all | Should -Not -Match 'NOT STOPPED'
        $all | Should -Match 'DicomWebUnauthorized'
        $all | Should -Match 'refused the credentials'
        $all | Should -Not -Match ([regex]::Escape($wrong))
        $all | Should -Not -Match ([regex]::Escape([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($Orthanc.User):$wrong"))))
        Remove-DicomConnection wrong
    }
}

Describe 'The PACS round trip' {
    It 'retrieves, runs the model, stores the SEG and reads it back from the PACS, as the issue writes it' {
        Push-Location $TestDrive
        try {
            $m = Get-Mmar $SampleMmar
            $stored = @(Find-DicomSeries -Connection pacs -Modality CT -StudyDate 20240101- -PatientID PHANTOM0001 |
                Receive-DicomSeries -Path ./rt-in | Invoke-ClaraInference -Mmar $m -OutputFormat DicomSeg -OutputPath ./rt-out -Device Cpu |
                Send-DicomInstance -Connection pacs)
        } finally { Pop-Location }
        $stored.Count | Should -Be 1
        $stored[0].Status | Should -Be 'Stored'
        $written = Get-Item (Join-Path $TestDrive 'rt-out/*_seg.dcm')

        $seg = @(Find-DicomSeries -Connection pacs -Modality SEG -PatientID PHANTOM0001)
        $seg.Count | Should -Be 1
        $seg[0].NumberOfInstances | Should -Be 1
        $seg[0].StudyInstanceUid | Should -Be '2.25.30886435814071526820621879663004794400'
        $back = $seg | Receive-DicomSeries -Path (Join-Path $TestDrive 'rt-back')
        $file = Get-ChildItem $back.Path
        (Get-FileHash $file.FullName).Hash | Should -Be (Get-FileHash $written.FullName).Hash
        @((& dciodvfy $file.FullName 2>&1 | Out-String) -split "`n" | Where-Object { $_ -like 'Error*' }) | Should -BeNullOrEmpty

        $ct = (Get-ChildItem (Join-Path $TestDrive 'rt-in') -Directory)[0].FullName
        $label = Import-MedicalImage $file.FullName -ReferenceSeries $ct
        $result = Invoke-ClaraInference -Mmar $SampleMmar -Path $ct -Device Cpu
        [System.Linq.Enumerable]::SequenceEqual([byte[]] $label.GetVoxels(), [byte[]] $result.Label.GetVoxels()) | Should -BeTrue
    }
}
