# Start-/Get-/Stop-DicomReceiver: a standing C-STORE SCP in the session, fed by DCMTK's storescu and echoscu and by our
# own Send-DicomInstance (C-STORE SCU), on free loopback ports; every receiver is stopped in AfterEach.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Orthanc.ps1')
    $script:Phantom = Join-Path $RepoRoot 'samples/phantom/dicom'
    $first = (Get-ChildItem -LiteralPath $Phantom | Select-Object -First 1).FullName
    $script:PhantomSeries = (& dcmdump +P 0020,000e $first) -replace '^.*\[(.*)\].*$', '$1'
}

Describe 'DICOM receivers' {
    AfterEach {
        Get-DicomReceiver | Stop-DicomReceiver
        Get-DicomConnection | Remove-DicomConnection
    }

    Describe 'Start-DicomReceiver -NoWait' {
        It 'answers echoscu, stores what storescu sends into a folder per series, and Get-DicomReceiver counts it' {
            $port = Get-FreeTcpPort
            $r = Start-DicomReceiver -Port $port -Path (Join-Path $TestDrive in) -Name bg -NoWait
            $r.PSObject.TypeNames[0] | Should -Be 'MdaiClara.DicomReceiver'
            & echoscu -aec MDAICLARA 127.0.0.1 $port
            $LASTEXITCODE | Should -Be 0
            & storescu -aec MDAICLARA -aet MODALITY 127.0.0.1 $port +sd $Phantom
            $LASTEXITCODE | Should -Be 0
            $folder = Join-Path $TestDrive in $PhantomSeries
            @(Get-ChildItem -LiteralPath $folder -Filter *.dcm).Count | Should -Be 40
            & dcmdump -q (Get-ChildItem -LiteralPath $folder -Filter *.dcm | Select-Object -First 1).FullName | Out-Null
            $LASTEXITCODE | Should -Be 0
            # The series is counted once the receiver has answered storescu's release: allow it a moment.
            foreach ($i in 1..50) { if ((Get-DicomReceiver bg).SeriesReceived -ge 1) { break }; Start-Sleep -Milliseconds 100 }
            $g = Get-DicomReceiver bg
            $g.InstancesReceived | Should -Be 40
            $g.SeriesReceived | Should -Be 1
            $g.LastSeries.Path | Should -Be $folder
            ($g | Format-Table | Out-String) | Should -Match "bg\s+MDAICLARA\s+$port\s+True\s+1\s+40\s+0"
            ($g | Format-List | Out-String) | Should -Match ('LastSeries\s+:\s+.*' + [regex]::Escape($PhantomSeries))
        }

        It 'rejects a wrong called AE and says so in RecentWarnings' {
            $port = Get-FreeTcpPort
            $null = Start-DicomReceiver -Port $port -Path (Join-Path $TestDrive rj) -Name rj -NoWait
            & echoscu -aec NOTUS 127.0.0.1 $port 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0
            $w = (Get-DicomReceiver rj).RecentWarnings
            $w | Should -Match "called AE title not recognized.*'NOTUS'"
        }

        It 'refuses a second receiver of the same name and a port that is taken' {
            $port = Get-FreeTcpPort
            $null = Start-DicomReceiver -Port $port -Path (Join-Path $TestDrive a) -Name taken -NoWait
            { Start-DicomReceiver -Port (Get-FreeTcpPort) -Path (Join-Path $TestDrive b) -Name taken -NoWait } | Should -Throw -ErrorId 'DimseListenFailed,*'
            { Start-DicomReceiver -Port $port -Path (Join-Path $TestDrive c) -Name other -NoWait } | Should -Throw -ErrorId 'DimseListenFailed,*'
            { Stop-DicomReceiver nosuch } | Should -Throw -ErrorId 'DimseReceiverNotFound,*'
        }
    }

    Describe 'Start-DicomReceiver in the pipeline' {
        It 'emits the series when the sender releases, as a folder Import-MedicalImage reads; -Count ends it and the port closes' {
            $port = Get-FreeTcpPort
            $sender = Start-ThreadJob { Start-Sleep -Seconds 1; & storescu -aec MDAICLARA 127.0.0.1 $using:port +sd $using:Phantom; $LASTEXITCODE }
            $series = Start-DicomReceiver -Port $port -Path (Join-Path $TestDrive fg) -Count 1
            $sent = Receive-Job $sender -Wait; Remove-Job $sender -Force
            $sent | Should -Be 0
            $series.PSObject.TypeNames[0] | Should -Be 'MdaiClara.DicomReceivedSeries'
            $series.SeriesInstanceUid | Should -Be $PhantomSeries
            $series.Instances | Should -Be 40
            $series.Received | Should -Be 40
            $series.CallingAE | Should -Be 'STORESCU'
            ($series | Format-Table | Out-String) | Should -Match '40\s+40'
            ($series | Import-MedicalImage).Shape | Should -Be (Import-MedicalImage -Path $Phantom).Shape
            Get-DicomReceiver | Should -BeNullOrEmpty
            & echoscu -aec MDAICLARA -to 2 127.0.0.1 $port 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0
        }

        It 'takes what our own Send-DicomInstance sends over C-STORE' {
            $port = Get-FreeTcpPort
            $sender = Start-ThreadJob {
                Import-Module $using:ModuleManifest
                Start-Sleep -Seconds 1
                $null = New-DicomConnection -HostName 127.0.0.1 -Port $using:port -CalledAE INBOX -Name self
                @(Send-DicomInstance -Connection self -Path $using:Phantom).Count
            }
            $series = Start-DicomReceiver -Port $port -AETitle INBOX -Path (Join-Path $TestDrive ours) -Count 1
            $sent = Receive-Job $sender -Wait; Remove-Job $sender -Force
            $sent | Should -Be 40
            $series.Received | Should -Be 40
            $series.CallingAE | Should -Be 'MDAICLARA'
        }
    }
}
