# The Model Zoo surveys' shared step: the models/*/configs files of a git directory of Project-MONAI/model-zoo (no
# weights, nothing else) written out under a folder, as a bundle folder per model that the bundle reader can open.

function Export-ModelZooConfig {
    <#
    .SYNOPSIS
        Writes every models/<bundle>/configs/*.json|yaml|yml file at a commit under Destination (Destination/models/
        <bundle>/configs/...), for the bundles BundleFilter keeps (all when none is given); returns the commit's SHA.
    #>
    param(
        [Parameter(Mandatory)] [string] $Repository,
        [Parameter(Mandatory)] [string] $Commit,
        [Parameter(Mandatory)] [string] $Destination,
        # Given every config file's path (models/<bundle>/configs/<file>), returns the bundle names to write.
        [scriptblock] $BundleFilter
    )
    $files = git --git-dir $Repository ls-tree -r --name-only $Commit -- models | Where-Object { $_ -match '^models/[^/]+/configs/[^/]+\.(json|yaml|yml)$' }
    if ($BundleFilter) {
        $kept = & $BundleFilter $files
        $files = $files | Where-Object { ($_ -split '/')[1] -in $kept }
    }

    foreach ($f in $files) {
        $target = Join-Path $Destination $f
        $null = New-Item -ItemType Directory -Force -Path (Split-Path $target)
        [IO.File]::WriteAllText($target, (git --git-dir $Repository show "${Commit}:$f" | Out-String))
    }

    git --git-dir $Repository rev-parse $Commit
}

Export-ModuleMember -Function Export-ModelZooConfig
