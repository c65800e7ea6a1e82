# The DIMSE commands against a real Orthanc (its DICOM port on loopback, AE title ORTHANC, DicomCheckCalledAet on),
# started for this file by Orthanc.ps1 and stopped in AfterAll whatever the tests did.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Orthanc.ps1')
    $script:Orthanc = Start-TestOrthanc
    $script:Pacs = New-DicomConnection -HostName 127.0.0.1 -Port $Orthanc.DicomPort -CalledAE ORTHANC -Name pacs-dimse -TimeoutSec 10
    $null = New-DicomWebConnection -Uri $Orthanc.Uri -Credential $Orthanc.Credential -Name web
    $null = Send-DicomInstance -Connection web -Path (Join-Path $RepoRoot 'samples/phantom/dicom')
}

AfterAll {
    Get-DicomConnection | Remove-DicomConnection
    if ($script:Orthanc) { Stop-TestOrthanc $script:Orthanc }
}

Describe 'New-DicomConnection' {
    It 'registers a named DIMSE connection with host, port and both AE titles' {
        $Pacs.PSObject.TypeNames[0] | Should -Be 'MdaiClara.DicomConnection'
        $c = Get-DicomConnection pacs-dimse
        $c.Transport | Should -Be 'Dimse'
        $c.Endpoint | Should -Be "ORTHANC@127.0.0.1:$($Orthanc.DicomPort) as MDAICLARA"
        ($c | Format-Table | Out-String) | Should -Match 'Dimse'
        ($c | Format-List | Out-String) | Should -Match 'TimeoutSec\s+:\s+10'
    }

    It 'describes a DICOM TLS connection without sending anything, and wants -Tls for certificate options' {
        $c = New-DicomConnection -HostName pacs.example.org -Port 2762 -CalledAE PACS -Tls -Name pacs-tls
        $c.Authentication | Should -Be 'AE title MDAICLARA over TLS, trusting the system store'
        $ca = Join-Path $TestDrive 'ca.pem'
        Set-Content -LiteralPath $ca -Value 'placeholder'
        { New-DicomConnection -HostName pacs.example.org -Port 104 -CalledAE PACS -TrustedCertificate $ca -Name no-tls } | Should -Throw -ErrorId 'DimseConnectionInvalid,*'
        { New-DicomConnection -HostName pacs.example.org -Port 2762 -CalledAE PACS -Tls -TrustedCertificate (Join-Path $TestDrive 'missing.pem') -Name bad-ca } | Should -Throw -ErrorId 'DimseConnectionInvalid,*'
        Remove-DicomConnection pacs-tls
    }

    It 'refuses an AE title longer than 16 characters' {
        { New-DicomConnection -HostName 127.0.0.1 -Port 104 -CalledAE 'A-TITLE-TOO-LONG-X' -Name bad } | Should -Throw -ErrorId 'DimseConnectionInvalid,*'
    }
}

Describe 'Test-DicomConnection' {
    It 'is $true when the PACS answers the C-ECHO' {
        Test-DicomConnection pacs-dimse | Should -BeTrue
    }

    It 'details the association, the accepted contexts and the round-trip time' {
        $r = Test-DicomConnection -Connection $Pacs -Detailed
        $r.PSObject.TypeNames[0] | Should -Be 'MdaiClara.DimseEchoResult'
        $r.Success | Should -BeTrue
        $r.AssociationResult | Should -Be 'accepted'
        $r.PresentationContexts[0].IsAccepted | Should -BeTrue
        $r.RoundTrip.TotalMilliseconds | Should -BeGreaterThan 0
        ($r | Format-List | Out-String) | Should -Match 'AcceptedContexts\s+:\s+1: Acceptance 1\.2\.840\.10008\.1\.2'
    }

    It 'shows values, not .NET type names, in Format-List * of the result and the connection' {
        $pattern = '\bSystem\.[A-Z]\w*(\.\w+)*|\bMdaiClara\.(Engine|Cmdlets)\.\w|`\d|\w+ \{ \w+ = '
        $text = (Test-DicomConnection pacs-dimse -Detailed | Format-List * | Out-String -Width 400) + (Get-DicomConnection pacs-dimse | Format-List * | Out-String -Width 400)
        $text | Should -Match 'PresentationContexts\s+:\s+\{1: Acceptance 1\.2\.840'
        @($text -split '\r?\n' | Where-Object { $_ -match $pattern }) | Should -BeNullOrEmpty
    }

    It 'is $false for a wrong called AE, and -Detailed names the rejection' {
        $null = New-DicomConnection -HostName 127.0.0.1 -Port $Orthanc.DicomPort -CalledAE WRONG -Name wrong-ae
        Test-DicomConnection wrong-ae | Should -BeFalse
        $r = Test-DicomConnection wrong-ae -Detailed
        $r.ErrorId | Should -Be 'DimseAssociationRejected'
        $r.AssociationResult | Should -Match 'rejected-permanent by the DICOM UL service-user: called AE title not recognized'
    }

    It 'is $false with a timeout for a port where nothing answers' {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $null = New-DicomConnection -HostName 127.0.0.1 -Port $listener.LocalEndpoint.Port -CalledAE SILENT -TimeoutSec 1 -Name silent
            $r = Test-DicomConnection silent -Detailed
            $r.Success | Should -BeFalse
            $r.ErrorId | Should -Be 'DimseTimeout'
        } finally { $listener.Stop() }
    }

    It 'refuses a DICOMweb connection' {
        { Test-DicomConnection web } | Should -Throw -ErrorId 'DimseConnectionInvalid,*'
    }
}

Describe 'Find-DicomStudy and Find-DicomSeries over C-FIND' {
    It 'find the same studies and series as over DICOMweb' {
        $study = Find-DicomStudy -Connection pacs-dimse -PatientID PHANTOM0001
        $study.PSObject.TypeNames[0] | Should -Be 'MdaiClara.DicomStudy'
        $study.StudyInstanceUid | Should -Be (Find-DicomStudy -Connection web -PatientID PHANTOM0001).StudyInstanceUid
        $study.NumberOfInstances | Should -Be 40
        $series = $study | Find-DicomSeries
        $series.Modality | Should -Be 'CT'
        $series.NumberOfInstances | Should -Be 40
        ($series | Format-Table | Out-String) | Should -Match 'CT'
    }

    It 'streams: Select-Object -First 1 ends the search early without an error, and the PACS still answers' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $first = @(Find-DicomStudy -Connection pacs-dimse -ErrorVariable e | Select-Object -First 1)
        $clock.Stop()
        $first.Count | Should -Be 1
        $first[0].PSObject.TypeNames[0] | Should -Be 'MdaiClara.DicomStudy'
        $e | Should -BeNullOrEmpty
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
        @(Find-DicomSeries -Connection pacs-dimse -ErrorVariable e2 | Select-Object -First 1).Count | Should -Be 1
        $e2 | Should -BeNullOrEmpty
        Test-DicomConnection -Connection pacs-dimse | Should -BeTrue
        (Find-DicomStudy -Connection pacs-dimse -PatientID PHANTOM0001).NumberOfInstances | Should -Be 40
    }

    It 'stops with the rejection when the PACS refuses our association' {
        { Find-DicomStudy -Connection wrong-ae } | Should -Throw -ErrorId 'DimseAssociationRejected,*'
    }

    It 'stops with DimseUnreachable when nothing listens on the port' {
        $port = Get-FreeTcpPort
        $null = New-DicomConnection -HostName 127.0.0.1 -Port $port -CalledAE NOBODY -Name nobody
        { Find-DicomSeries -Connection nobody -Modality CT } | Should -Throw -ErrorId 'DimseUnreachable,*'
    }
}

Describe 'Send-DicomInstance over C-STORE' {
    It 'stores a series that C-FIND then finds, one typed result per instance' {
        $folder = Join-Path $RepoRoot 'tests/fixtures/dicom/golden_series/dcm_ct_s16/dicom'
        $results = @(Send-DicomInstance -Connection pacs-dimse -Path $folder)
        $results.Count | Should -Be 30
        $results[0].PSObject.TypeNames[0] | Should -Be 'MdaiClara.DicomStoreResult'
        @($results | Where-Object Status -ne 'Stored') | Should -BeNullOrEmpty
        $results[0].Connection | Should -Be 'pacs-dimse'
        ($results | Format-Table | Out-String) | Should -Match 'Stored'
        $series = Find-DicomSeries -Connection pacs-dimse -StudyInstanceUid $results[0].StudyInstanceUid
        $series.NumberOfInstances | Should -Be 30
    }

    It 'names a refused instance as a DimseStoreFailed error and stores the others' {
        $scratch = Join-Path $TestDrive 'store'
        $null = New-Item -ItemType Directory -Path $scratch
        $plain = Get-ChildItem (Join-Path $RepoRoot 'samples/phantom/dicom') | Select-Object -First 1
        & dcmcjpeg '+e1' $plain.FullName (Join-Path $scratch 'jpeg.dcm')
        $LASTEXITCODE | Should -Be 0
        $port = Get-FreeTcpPort
        $scp = Start-Process storescp -ArgumentList '--aetitle', 'STORESCP', '--output-directory', $scratch, '+xi', $port -PassThru
        try {
            $null = New-DicomConnection -HostName 127.0.0.1 -Port $port -CalledAE STORESCP -Name implicit-only -TimeoutSec 10
            foreach ($i in 1..50) { if (Test-DicomConnection implicit-only) { break }; Start-Sleep -Milliseconds 100 }
            $e = $null
            $ok = @(Send-DicomInstance -Connection implicit-only -Path (Join-Path $scratch 'jpeg.dcm'), $plain.FullName -ErrorVariable e -ErrorAction SilentlyContinue)
            $ok.Count | Should -Be 1
            $ok[0].Reason | Should -Be 'stored (re-encoded to Implicit VR Little Endian)'
            $e.Count | Should -Be 1
            $e[0].FullyQualifiedErrorId | Should -Match '^DimseStoreFailed'
            $e[0].Exception.Message | Should -Match 'refused its presentation context .*JPEG Lossless'
            $e[0].TargetObject.Status | Should -Be 'Failed'
        } finally { Stop-Process -Id $scp.Id }
    }
}

Describe 'Receive-DicomSeries over C-GET and C-MOVE' {
    It 'retrieves the phantom series over C-GET into a folder named by the series UID, and a second run keeps what is there' {
        $series = Find-DicomSeries -Connection pacs-dimse -PatientID PHANTOM0001
        $receipt = $series | Receive-DicomSeries -Path (Join-Path $TestDrive get)
        $receipt.PSObject.TypeNames[0] | Should -Be 'MdaiClara.DicomSeriesReceipt'
        $receipt.Instances | Should -Be 40
        $receipt.Received | Should -Be 40
        $receipt.Path | Should -Be (Join-Path $TestDrive get $series.SeriesInstanceUID)
        @(Get-ChildItem -LiteralPath $receipt.Path -Filter *.dcm).Count | Should -Be 40
        (Import-MedicalImage -Path $receipt.Path).Shape | Should -Be (Import-MedicalImage -Path (Join-Path $RepoRoot 'samples/phantom/dicom')).Shape
        $again = $series | Receive-DicomSeries -Path (Join-Path $TestDrive get)
        $again.Received | Should -Be 0
        $again.Skipped | Should -Be 40
    }

    It 'retrieves over C-MOVE to -MoveDestination on -ListenPort, the AE title registered in Orthanc with that port' {
        $port = Get-FreeTcpPort
        $auth = @{ Authorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($Orthanc.User):$($Orthanc.Password)")) }
        $null = Invoke-RestMethod -Method Put -Uri "http://127.0.0.1:$($Orthanc.HttpPort)/modalities/pestermove" -Headers $auth -ContentType 'application/json' `
            -Body (@{ AET = 'PESTERMOVE'; Host = '127.0.0.1'; Port = $port } | ConvertTo-Json)
        $receipt = Find-DicomSeries -Connection pacs-dimse -PatientID PHANTOM0001 |
            Receive-DicomSeries -Path (Join-Path $TestDrive move) -MoveDestination PESTERMOVE -ListenPort $port
        $receipt.Received | Should -Be 40
        @(Get-ChildItem -LiteralPath $receipt.Path -Filter *.dcm).Count | Should -Be 40
        & dcmdump -q (Get-ChildItem -LiteralPath $receipt.Path -Filter *.dcm | Select-Object -First 1).FullName | Out-Null
        $LASTEXITCODE | Should -Be 0
    }

    It 'names the move destination when the PACS does not know it' {
        $e = $null
        $null = Find-DicomSeries -Connection pacs-dimse -PatientID PHANTOM0001 |
            Receive-DicomSeries -Path (Join-Path $TestDrive unknown) -MoveDestination NOTKNOWN -ListenPort (Get-FreeTcpPort) -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Match '^DimseRetrieveFailed'
        $e[0].Exception.Message | Should -Match 'move destination AE title NOTKNOWN'
    }

    It 'refuses -MoveDestination with a DICOMweb connection, and -ListenPort without -MoveDestination' {
        $e = $null
        $null = Find-DicomSeries -Connection web -PatientID PHANTOM0001 | Receive-DicomSeries -Path (Join-Path $TestDrive web) -MoveDestination X -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Match '^DimseConnectionInvalid'
        { Find-DicomSeries -Connection pacs-dimse -PatientID PHANTOM0001 | Receive-DicomSeries -Path (Join-Path $TestDrive x) -ListenPort 11112 } | Should -Throw -ErrorId 'DimseConnectionInvalid,*'
    }
}
