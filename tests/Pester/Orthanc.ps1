# A real Orthanc (Debian's orthanc + orthanc-dicomweb) for Pester tests, the help examples, the runbook test and the
# bench: Start-TestOrthanc starts it in the foreground with tests/fixtures/orthanc/orthanc.template.json on free
# loopback ports, a throwaway storage folder and authentication on (TCP_NODELAY=1 in its environment), and returns when
# GET /system answers; Stop-TestOrthanc stops it by its process id and removes the folder. Call Stop-TestOrthanc from
# AfterAll (or a finally block) so the server goes away whatever the tests did.

function Get-FreeTcpPort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-TestOrthanc {
    param([string] $Folder = (Join-Path ([IO.Path]::GetTempPath()) "mdaiclara-orthanc-$([guid]::NewGuid().ToString('N'))"))
    if (-not (Test-Path -LiteralPath /usr/sbin/Orthanc) -or -not (Test-Path -LiteralPath /usr/share/orthanc/plugins/libOrthancDicomWeb.so)) {
        throw 'Orthanc with its DICOMweb plugin is not installed: apt-get install -y orthanc orthanc-dicomweb (build/Packages.psd1 lists them).'
    }
    $user = 'mdaiclara'
    $password = 'orthanc-test-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    $storage = Join-Path $Folder 'storage'
    $null = New-Item -ItemType Directory -Path $storage -Force
    $httpPort = Get-FreeTcpPort
    $dicomPort = Get-FreeTcpPort
    $template = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '../fixtures/orthanc/orthanc.template.json')
    $config = Join-Path $Folder 'orthanc.json'
    $template.Replace('{{Storage}}', $storage).Replace('{{HttpPort}}', "$httpPort").Replace('{{DicomPort}}', "$dicomPort").
        Replace('{{User}}', $user).Replace('{{Password}}', $password) | Set-Content -LiteralPath $config
    # Its log goes to files in the folder (--logdir), not to the test's console.
    $start = [Diagnostics.ProcessStartInfo]::new('/usr/sbin/Orthanc')
    $start.ArgumentList.Add("--logdir=$Folder")
    $start.ArgumentList.Add($config)
    $start.UseShellExecute = $false
    $start.Environment['TCP_NODELAY'] = '1'
    $process = [Diagnostics.Process]::Start($start)
    $secure = ConvertTo-SecureString $password -AsPlainText -Force
    $server = [pscustomobject]@{
        Uri        = "http://127.0.0.1:$httpPort/dicom-web"
        HttpPort   = $httpPort
        DicomPort  = $dicomPort
        User       = $user
        Password   = $password
        Credential = [pscredential]::new($user, $secure)
        Process    = $process
        Folder     = $Folder
        Config     = $config
    }
    $auth = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("${user}:$password"))
    $deadline = [Diagnostics.Stopwatch]::StartNew()
    while ($deadline.Elapsed.TotalSeconds -lt 30) {
        if ($process.HasExited) {
            Stop-TestOrthanc $server
            throw "Orthanc exited with $($process.ExitCode) while starting."
        }
        try {
            $r = Invoke-WebRequest -Uri "http://127.0.0.1:$httpPort/system" -Headers @{ Authorization = $auth } -TimeoutSec 2 -SkipHttpErrorCheck
            if ($r.StatusCode -eq 200) { return $server }
        } catch { }
        Start-Sleep -Milliseconds 100
    }
    Stop-TestOrthanc $server
    throw "Orthanc did not answer on port $httpPort within 30 s."
}

function Stop-TestOrthanc {
    param([Parameter(Mandatory)] $Server, [switch] $KeepStorage)
    if ($Server.Process -and -not $Server.Process.HasExited) {
        $Server.Process.Kill($true)
        $null = $Server.Process.WaitForExit(10000)
    }
    if (-not $KeepStorage -and (Test-Path -LiteralPath $Server.Folder)) {
        Remove-Item -LiteralPath $Server.Folder -Recurse -Force -ErrorAction SilentlyContinue
    }
}
