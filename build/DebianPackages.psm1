<#
.SYNOPSIS
    Gives build.ps1's tasks the Debian/Ubuntu packages they need (build/Packages.psd1): finds the missing ones,
    installs them when this host allows it (root, or sudo without a password), otherwise stops with the exact command.
    The decision (Get-DebianPackagePlan) is a pure function of its inputs, so it is tested without touching the host.
#>

Set-StrictMode -Version Latest

$script:AptUpdated = $false

function Get-TaskPackageList {
    # The packages build/Packages.psd1 lists for a task (none when the task is not listed).
    param(
        [Parameter(Mandatory)] [string] $Task,
        [Parameter(Mandatory)] [string] $Path
    )
    $lists = Import-PowerShellDataFile -LiteralPath $Path
    if (-not $lists.ContainsKey($Task)) { return @() }
    @($lists[$Task] | Where-Object { $_ })
}

function Test-DebianPackageInstalled {
    # dpkg's own verdict: "install ok installed" (a removed package that left its config files is not installed).
    param([Parameter(Mandatory)] [string] $Name)
    $status = & dpkg-query -W '-f=${Status}' $Name 2>$null
    $LASTEXITCODE -eq 0 -and "$status" -eq 'install ok installed'
}

function Get-MissingDebianPackage {
    # The packages of -Name that are not installed, in order. -IsInstalled stands in for dpkg in tests.
    param(
        [string[]] $Name = @(),
        [scriptblock] $IsInstalled = { param($n) Test-DebianPackageInstalled -Name $n }
    )
    @($Name | Select-Object -Unique | Where-Object { -not (& $IsInstalled $_) })
}

function Get-PackageHost {
    # What decides whether packages can be installed here: a Debian-like system with dpkg and apt-get, root, sudo.
    $debian = [bool]($IsLinux -and (Test-Path -LiteralPath '/etc/debian_version') -and
        (Get-Command dpkg-query -CommandType Application -ErrorAction SilentlyContinue) -and
        (Get-Command apt-get -CommandType Application -ErrorAction SilentlyContinue))
    $root = $false
    $sudo = $false
    if ($debian) {
        $root = (& id -u) -eq '0'
        if (-not $root -and (Get-Command sudo -CommandType Application -ErrorAction SilentlyContinue)) {
            & sudo -n true 2>$null
            $sudo = $LASTEXITCODE -eq 0
        }
    }
    [pscustomobject]@{ IsDebian = $debian; IsRoot = $root; CanSudo = $sudo }
}

function Get-DebianPackagePlan {
    <#
    .SYNOPSIS
        What to do about missing packages: None, Install (with Prefix: nothing as root, sudo -n otherwise) or Stop
        (Message says why and gives the exact command).
    #>
    param(
        [Parameter(Mandatory)] [string] $Task,
        [string[]] $Missing = @(),
        [Parameter(Mandatory)] [pscustomobject] $PackageHost
    )
    $Missing = @($Missing | Where-Object { $_ })
    $plan = [ordered]@{ Task = $Task; Missing = $Missing; Action = 'None'; Prefix = @(); Message = '' }
    if ($Missing.Count -eq 0) { return [pscustomobject] $plan }

    $list = $Missing -join ' '
    if (-not $PackageHost.IsDebian) {
        $plan.Action = 'Stop'
        $plan.Message = "build.ps1 -Task $Task needs the Debian/Ubuntu packages $list, and this host has no dpkg and apt-get " +
            'to check or install them. Provide their equivalents (see build/Packages.psd1), then run again with -NoPackageInstall.'
    }
    elseif ($PackageHost.IsRoot) {
        $plan.Action = 'Install'
    }
    elseif ($PackageHost.CanSudo) {
        $plan.Action = 'Install'
        $plan.Prefix = @('sudo', '-n')
    }
    else {
        $plan.Action = 'Stop'
        $plan.Message = "build.ps1 -Task $Task needs the Debian packages $list, and it can install them only as root or with " +
            "sudo that asks no password. Run:`n    sudo apt-get update && sudo apt-get install -y --no-install-recommends $list`nthen run build.ps1 again."
    }
    [pscustomobject] $plan
}

function Invoke-AptGet {
    param([string[]] $Prefix, [string[]] $Arguments)
    # sudo resets the environment, so the noninteractive front end goes through env.
    $command = @($Prefix) + @('env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get') + @($Arguments)
    $program, $rest = $command
    & $program @rest | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "$($command -join ' ') failed with exit code $LASTEXITCODE." }
}

function Install-TaskPackage {
    <#
    .SYNOPSIS
        build.ps1's entry: makes sure the packages Packages.psd1 lists for -Task are installed; announces and installs
        the missing ones (apt-get update once per run first), or throws with the plan's message.
    #>
    param(
        [Parameter(Mandatory)] [string] $Task,
        [Parameter(Mandatory)] [string] $Path
    )
    $wanted = @(Get-TaskPackageList -Task $Task -Path $Path)
    if ($wanted.Count -eq 0) { return }
    $packageHost = Get-PackageHost
    $missing = @(if ($packageHost.IsDebian) { Get-MissingDebianPackage -Name $wanted } else { $wanted })
    $plan = Get-DebianPackagePlan -Task $Task -Missing $missing -PackageHost $packageHost
    switch ($plan.Action) {
        'None' { return }
        'Stop' { throw $plan.Message }
    }

    Write-Host "==> Installing the Debian packages -Task $Task needs and this host lacks: $($plan.Missing -join ' ')" -ForegroundColor Cyan
    if (-not $script:AptUpdated) {
        Invoke-AptGet -Prefix $plan.Prefix -Arguments @('update', '-qq')
        $script:AptUpdated = $true
    }
    Invoke-AptGet -Prefix $plan.Prefix -Arguments (@('install', '-y', '-qq', '--no-install-recommends') + $plan.Missing)
    $still = @(Get-MissingDebianPackage -Name $plan.Missing)
    if ($still.Count -gt 0) { throw "apt-get ran, but these packages are still not installed: $($still -join ' ')." }
}

Export-ModuleMember -Function Get-TaskPackageList, Get-MissingDebianPackage, Get-DebianPackagePlan, Install-TaskPackage
