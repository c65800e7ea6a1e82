# build.ps1's Debian package provisioning (build/DebianPackages.psm1, build/Packages.psd1): the plan is decided from
# its inputs, so every host situation is tested here without installing anything.
BeforeAll {
    $ErrorActionPreference = 'Stop'
    $script:BuildFolder = Join-Path (Split-Path (Split-Path $PSScriptRoot -Parent) -Parent) 'build'
    Import-Module (Join-Path $BuildFolder 'DebianPackages.psm1') -Force
    $script:PackageList = Join-Path $BuildFolder 'Packages.psd1'
    function New-PackageHost([bool] $Debian, [bool] $Root, [bool] $Sudo) {
        [pscustomobject]@{ IsDebian = $Debian; IsRoot = $Root; CanSudo = $Sudo }
    }
}

Describe 'The package lists' {
    It 'gives Test the imaging peers, OpenCV, chromium (the report test), dcmtk and dicom3tools (the DICOM we write), Orthanc (the PACS) and Build, Demo and Package nothing (the libstdc++ fix needs no patchelf or compiler)' {
        $test = Get-TaskPackageList -Task Test -Path $PackageList
        foreach ($name in 'python3', 'python3-numpy', 'python3-nibabel', 'python3-pydicom', 'python3-gdcm', 'dcm2niix', 'python3-opencv', 'chromium', 'fonts-dejavu-core', 'dcmtk', 'dicom3tools', 'orthanc', 'orthanc-dicomweb', 'openssl') { $test | Should -Contain $name }
        foreach ($task in 'Build', 'Demo', 'Package', 'Clean') { Get-TaskPackageList -Task $task -Path $PackageList | Should -BeNullOrEmpty }
        $test | Should -Not -Contain 'patchelf'
    }

    It 'has a list for every task build.ps1 accepts, and no other' {
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path (Split-Path $BuildFolder -Parent) 'build.ps1'), [ref] $null, [ref] $errors)
        $errors | Should -BeNullOrEmpty
        $task = $ast.ParamBlock.Parameters | Where-Object { $_.Name.VariablePath.UserPath -eq 'Task' }
        $tasks = ($task.Attributes | Where-Object { $_.TypeName.Name -eq 'ValidateSet' }).PositionalArguments.Value
        $tasks | Should -Contain 'Test'
        @((Import-PowerShellDataFile $PackageList).Keys | Sort-Object) | Should -Be @($tasks | Sort-Object)
    }
}

Describe 'Install-TaskPackage' {
    It 'does nothing, on any host, for a task whose list is empty' {
        { Install-TaskPackage -Task Build -Path $PackageList } | Should -Not -Throw
        { Install-TaskPackage -Task Demo -Path $PackageList } | Should -Not -Throw
    }
}

Describe 'Missing packages' {
    It 'keeps the order and drops what is installed' {
        $installed = @('python3', 'python3-numpy')
        Get-MissingDebianPackage -Name 'python3', 'dcm2niix', 'python3-numpy', 'python3-gdcm' -IsInstalled { param($n) $n -in $installed } |
            Should -Be @('dcm2niix', 'python3-gdcm')
    }

    It 'asks dpkg by default' -Skip:(-not (Test-Path /etc/debian_version)) {
        Get-MissingDebianPackage -Name 'dpkg', 'mdaiclara-no-such-package' | Should -Be @('mdaiclara-no-such-package')
    }
}

Describe 'The install plan' {
    It 'does nothing when nothing is missing' {
        (Get-DebianPackagePlan -Task Test -Missing @() -PackageHost (New-PackageHost $true $false $false)).Action | Should -Be 'None'
    }

    It 'installs directly as root' {
        $plan = Get-DebianPackagePlan -Task Test -Missing 'dcm2niix' -PackageHost (New-PackageHost $true $true $false)
        $plan.Action | Should -Be 'Install'
        $plan.Prefix | Should -BeNullOrEmpty
    }

    It 'installs through sudo -n when sudo asks no password' {
        $plan = Get-DebianPackagePlan -Task Test -Missing 'dcm2niix' -PackageHost (New-PackageHost $true $false $true)
        $plan.Action | Should -Be 'Install'
        $plan.Prefix | Should -Be @('sudo', '-n')
    }

    It 'stops with the exact command when it may not install' {
        $plan = Get-DebianPackagePlan -Task Test -Missing 'python3-nibabel', 'dcm2niix' -PackageHost (New-PackageHost $true $false $false)
        $plan.Action | Should -Be 'Stop'
        $plan.Message | Should -BeLike '*-Task Test needs the Debian packages python3-nibabel dcm2niix*'
        $plan.Message | Should -BeLike '*sudo apt-get update && sudo apt-get install -y --no-install-recommends python3-nibabel dcm2niix*'
    }

    It 'stops on a host without dpkg and apt-get, naming the packages and -NoPackageInstall' {
        $plan = Get-DebianPackagePlan -Task Test -Missing 'python3-gdcm' -PackageHost (New-PackageHost $false $true $true)
        $plan.Action | Should -Be 'Stop'
        $plan.Message | Should -BeLike '*python3-gdcm*no dpkg and apt-get*-NoPackageInstall*'
    }
}
