<#
.SYNOPSIS
    Decides which files of a publish output the module ships, from build/ModuleFiles.psd1. Pure functions of file
    names and the lists, so both backends and every RID are tested with fake folders (tests/Pester/NativeStaging.Tests.ps1).
#>

Set-StrictMode -Version Latest

function Test-NativeFileName {
    # A native library by its name: .so, .so.N, .dylib, or a .dll that is not one of the managed assemblies.
    param([Parameter(Mandatory)] [string] $Name, [string[]] $Managed = @())
    if ($Managed -contains $Name) { return $false }
    $Name -like '*.so' -or $Name -like '*.so.*' -or $Name -like '*.dylib' -or $Name -like '*.dll'
}

function Get-NativeStagingPlan {
    <#
    .SYNOPSIS
        Splits the file names of a publish output for one torch backend and RID into what to stage (Stage), the
        required patterns nothing matched (Missing), known files left out (Excluded) and native files no list
        names (Unclassified). The build stops when Missing or Unclassified is not empty.
    #>
    param(
        [string[]] $FileName = @(),
        [Parameter(Mandatory)] [string] $Backend,
        [Parameter(Mandatory)] [string] $Rid,
        [Parameter(Mandatory)] [hashtable] $ModuleFiles
    )
    if (-not $ModuleFiles.Natives.ContainsKey($Backend)) { throw "build/ModuleFiles.psd1 has no native lists for the torch backend '$Backend'." }
    $lists = $ModuleFiles.Natives[$Backend]
    if (-not $lists.ContainsKey($Rid)) {
        throw "build/ModuleFiles.psd1 has no native list for torch backend '$Backend' on $Rid (it has: $(@($lists.Keys | Sort-Object) -join ', '))."
    }
    $list = $lists[$Rid]
    $required = @($list.Required)
    $optional = @($list.Optional)
    $excluded = @($list.Excluded)
    $names = @($FileName | ForEach-Object { Split-Path -Leaf $_ } | Sort-Object -Unique)

    $stage = [Collections.Generic.List[string]]::new()
    $left = [Collections.Generic.List[string]]::new()
    $unclassified = [Collections.Generic.List[string]]::new()
    foreach ($name in $names) {
        if (@($required + $optional | Where-Object { $name -like $_ }).Count -gt 0) { $stage.Add($name) }
        elseif (@($excluded | Where-Object { $name -like $_ }).Count -gt 0) { $left.Add($name) }
        elseif (Test-NativeFileName -Name $name -Managed $ModuleFiles.Managed) { $unclassified.Add($name) }
    }
    $missing = @($required | Where-Object { $pattern = $_; @($names | Where-Object { $_ -like $pattern }).Count -eq 0 })

    [pscustomobject]@{
        Backend      = $Backend
        Rid          = $Rid
        Stage        = @($stage)
        Missing      = $missing
        Excluded     = @($left)
        Unclassified = @($unclassified)
    }
}

function Assert-NativeStagingPlan {
    # Throws, naming the files and what to do, when a plan cannot be staged as it is.
    param([Parameter(Mandatory)] [pscustomobject] $Plan, [string] $Source = 'the publish output')
    $problems = @()
    if ($Plan.Missing.Count -gt 0) {
        $problems += "$Source lacks the native libraries $($Plan.Missing -join ', ') (torch backend $($Plan.Backend), $($Plan.Rid))."
    }
    if ($Plan.Unclassified.Count -gt 0) {
        $problems += "$Source has native libraries that build/ModuleFiles.psd1 does not name for torch backend $($Plan.Backend) on $($Plan.Rid): " +
            "$($Plan.Unclassified -join ', '). Add each to Required, Optional or Excluded there."
    }
    if ($problems) { throw ($problems -join ' ') }
}

function Copy-IfChanged {
    # libtorch_cpu is hundreds of MB: copy only when size or time differs.
    param([Parameter(Mandatory)] [string] $Source, [Parameter(Mandatory)] [string] $Destination)
    if (Test-Path -LiteralPath $Destination) {
        $s = Get-Item -LiteralPath $Source; $d = Get-Item -LiteralPath $Destination
        if ($s.Length -eq $d.Length -and $s.LastWriteTimeUtc -eq $d.LastWriteTimeUtc) { return }
    }
    Copy-Item -LiteralPath $Source -Destination $Destination -Force
}

function Copy-NativeStagingPlan {
    <#
    .SYNOPSIS
        Stages a plan's files (-Files: name -> full path) into <BinFolder>/<rid>/ and removes what that folder no
        longer ships. Throws first (Assert-NativeStagingPlan) when the plan misses or does not know a library.
    #>
    param(
        [Parameter(Mandatory)] [pscustomobject] $Plan,
        [Parameter(Mandatory)] [hashtable] $Files,
        [Parameter(Mandatory)] [string] $BinFolder,
        [string] $Source = 'the publish output'
    )
    Assert-NativeStagingPlan -Plan $Plan -Source $Source
    $target = Join-Path $BinFolder $Plan.Rid
    New-Item -ItemType Directory -Force -Path $target | Out-Null
    Get-ChildItem -LiteralPath $target -File | Where-Object Name -NotIn $Plan.Stage | Remove-Item -Force
    foreach ($name in $Plan.Stage) {
        $destination = Join-Path $target $name
        # libLibTorchSharp.so may be patched in the staged copy (the libstdc++ fix): always start from the original.
        if ($name -eq 'libLibTorchSharp.so') { Copy-Item -LiteralPath $Files[$name] -Destination $destination -Force }
        else { Copy-IfChanged -Source $Files[$name] -Destination $destination }
    }
    $target
}

function Get-FileMap {
    # name -> full path of the files in -Folder (a later folder's file of the same name wins).
    param([Parameter(Mandatory)] [string[]] $Folder)
    $files = @{}
    foreach ($f in $Folder) {
        if (-not (Test-Path -LiteralPath $f -PathType Container)) { throw "$f does not exist." }
        foreach ($file in Get-ChildItem -LiteralPath $f -File) { $files[$file.Name] = $file.FullName }
    }
    $files
}

Export-ModuleMember -Function Get-NativeStagingPlan, Assert-NativeStagingPlan, Test-NativeFileName, Copy-NativeStagingPlan, Copy-IfChanged, Get-FileMap
