<#
.SYNOPSIS
    The main job on the embedded sample: what an admin's runbook does with an MMAR. build.ps1 -Task Demo runs it
    in a fresh pwsh against the staged module.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$ProgressPreference = 'SilentlyContinue'

function Show-Step([string] $Text) {
    Write-Host ''
    Write-Host "### $Text" -ForegroundColor Cyan
}

$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module $ModuleManifest
Write-Host ("Imported MdaiClara {0} in {1} ms (libtorch is not loaded until a model runs)." -f (Get-Module MdaiClara).Version, $clock.ElapsedMilliseconds)

$samples = $PSScriptRoot
$mmarPath = Join-Path $samples 'clara_pt_phantom_ct_segmentation'

Show-Step 'Get-Mmar: what is this MMAR?'
$mmar = Get-Mmar $mmarPath
$mmar | Format-List | Out-Host

Show-Step 'The inference pipeline it prescribes'
$mmar.InferenceConfig.PreTransforms + $mmar.InferenceConfig.Inferer + $mmar.InferenceConfig.PostTransforms |
    Format-Table @{ n = 'Component'; e = { $_.Name } }, @{ n = 'Arguments'; e = { ($_.Args.GetEnumerator() | ForEach-Object { '{0}={1}' -f $_.Key, ($_.Value -join ',') }) -join '; ' } } -Wrap | Out-Host

Show-Step 'Get-Mmar | Test-Mmar -Detailed: can it run here and be deployed to MD.ai as it is?'
$mmar | Test-Mmar -Detailed | ForEach-Object { "  $_" } | Out-Host
Write-Host ("Test-Mmar: {0}" -f ($mmar | Test-Mmar))

Show-Step 'Test-Mmar -Deep: load the TorchScript on the CPU and run one forward pass'
$clock.Restart()
$findings = $mmar | Test-Mmar -Deep -Detailed
$findings | Where-Object RuleId -like 'Deep*' | ForEach-Object { "  $_" } | Out-Host
$passes = $mmar | Test-Mmar -Deep
Write-Host ("Test-Mmar -Deep: {0} ({1} ms, including loading libtorch)" -f $passes, $clock.ElapsedMilliseconds)

Show-Step 'A broken copy: what Test-Mmar says when something is wrong'
$broken = Join-Path ([IO.Path]::GetTempPath()) ("mdaiclara-demo-" + [guid]::NewGuid().ToString('N'))
try {
    Copy-Item -LiteralPath $mmarPath -Destination $broken -Recurse
    # The missing comma of the environment.json shown in published Clara docs.
    $envFile = Join-Path $broken 'config/environment.json'
    (Get-Content -LiteralPath $envFile -Raw) -replace '"DATA_ROOT": "/workspace/data",', '"DATA_ROOT": "/workspace/data"' | Set-Content -LiteralPath $envFile
    Test-Mmar -LiteralPath $broken -Detailed | ForEach-Object { "  $_" } | Out-Host
    Write-Host ("Test-Mmar on the broken copy: {0}" -f (Test-Mmar -LiteralPath $broken))
}
finally {
    Remove-Item -LiteralPath $broken -Recurse -Force -ErrorAction SilentlyContinue
}

Show-Step 'Import-MedicalImage: the phantom study, as a DICOM series and as NIfTI'
$dicom = Import-MedicalImage (Join-Path $samples 'phantom/dicom')
$nifti = Import-MedicalImage (Join-Path $samples 'phantom/phantom_ct.nii.gz')
$dicom, $nifti | Format-Table | Out-Host
Write-Host ("Same geometry: the affines differ by at most {0:0.######} mm; slice 0 is instance {1}" -f $dicom.Affine.MaxAbsDifference($nifti.Affine), $dicom.Dicom.Slices[0].SopInstanceUid)
$exported = Join-Path ([IO.Path]::GetTempPath()) ("mdaiclara-demo-" + [guid]::NewGuid().ToString('N') + '.nii.gz')
try {
    $file = $dicom | Export-MedicalImage $exported
    Write-Host ("Export-MedicalImage wrote {0} ({1:N0} bytes); read back: {2}" -f $file.Name, $file.Length, (Import-MedicalImage $exported))
}
finally {
    Remove-Item -LiteralPath $exported -Force -ErrorAction SilentlyContinue
}

Show-Step 'Invoke-ClaraInference: the MMAR pipeline on the phantom, as a DICOM series and as NIfTI'
$out = Join-Path ([IO.Path]::GetTempPath()) ("mdaiclara-demo-" + [guid]::NewGuid().ToString('N'))
try {
    $mmar = Get-Mmar $mmarPath
    $results = @(
        Invoke-ClaraInference -Mmar $mmar -Path (Join-Path $samples 'phantom/dicom') -OutputPath $out -Device Auto
        Invoke-ClaraInference -Mmar $mmar -Path (Join-Path $samples 'phantom/phantom_ct.nii.gz') -OutputPath $out -Device Auto
    )
    $results | Format-Table | Out-String -Width 160 | Out-Host
    $results | Select-Object -First 1 | Format-List Input, Semantics, ModelInputShape, Windows, Classes, OutputFiles, Timings | Out-Host
    # The label maps are on the inputs' own grids: compare them voxel by voxel with each other and with the phantom's truth.
    $truth = (Import-MedicalImage (Join-Path $samples 'phantom/phantom_truth.nii.gz')).GetVoxels()
    $fromDicom = $results[0].Label.GetVoxels()
    $fromNifti = $results[1].Label.GetVoxels()
    $same = 0; $hit = @(0, 0, 0); $inPred = @(0, 0, 0); $inTruth = @(0, 0, 0)
    for ($n = 0; $n -lt $truth.Length; $n++) {
        if ($fromDicom[$n] -eq $fromNifti[$n]) { $same++ }
        $p = $fromNifti[$n]; $t = $truth[$n]
        $inPred[$p]++; $inTruth[$t]++
        if ($p -eq $t) { $hit[$p]++ }
    }
    Write-Host ("DICOM and NIfTI label maps agree on {0:P3} of {1:N0} voxels" -f ($same / $truth.Length), $truth.Length)
    foreach ($c in 1, 2) {
        Write-Host ("Dice vs the phantom's truth, {0}: {1:0.###}" -f $results[1].Classes[$c].Name, (2 * $hit[$c] / ($inPred[$c] + $inTruth[$c])))
    }
}
finally {
    Remove-Item -LiteralPath $out -Recurse -Force -ErrorAction SilentlyContinue
}

Show-Step 'MD.ai: the deployment package and the result list MD.ai will show'
$out = Join-Path ([IO.Path]::GetTempPath()) ("mdaiclara-demo-" + [guid]::NewGuid().ToString('N'))
try {
    $package = New-MdaiModelPackage -Mmar $mmarPath -OutputPath (Join-Path $out 'phantom-mdai.zip')
    $package | Format-List Path, Bytes, Files, Sha256, Config | Out-Host
    $outputs = @(Invoke-ClaraInference -Mmar $mmarPath -Path (Join-Path $samples 'phantom/dicom') -OutputFormat Mdai -OutputPath $out -Device Auto)
    $outputs | Where-Object type -eq 'ANNOTATION' | Select-Object -First 6 type, instance_uid, class_index,
        @{ Name = 'mask'; Expression = { '{0}x{1}, {2} px set' -f @($_.data.mask).Count, @($_.data.mask[0]).Count, ($_.data.mask | ForEach-Object { $_ } | Measure-Object -Sum).Sum } } |
        Format-Table | Out-String -Width 160 | Out-Host
    Write-Host ("{0} outputs for {1} instances: {2} annotations; MD.ai's output rules: {3}" -f $outputs.Count,
        @($outputs | ForEach-Object instance_uid | Sort-Object -Unique).Count,
        @($outputs | Where-Object type -eq 'ANNOTATION').Count,
        $(if (Test-MdaiModelOutput -InputObject $outputs) { 'pass' } else { 'FAIL' }))
    # Every check of a publication, without delivering (-WhatIf): MD.ai has no upload API, the record says what is left.
    $publish = Publish-MdaiModel -Mmar $mmarPath -Destination (Join-Path $out 'outbox') -WhatIf 6>$null
    $publish.Checks | Format-Table -Wrap | Out-String -Width 160 | Out-Host
    Write-Host $publish.NextStep
}
finally {
    Remove-Item -LiteralPath $out -Recurse -Force -ErrorAction SilentlyContinue
}

Show-Step 'Measure-ClaraModel: the sample model on the phantom against its truth, and the report for the clinical lead'
$demoOut = [IO.Path]::GetFullPath((Join-Path $samples '../output/demo'))
$measured = Measure-ClaraModel -Mmar $mmarPath -Path (Join-Path $samples 'phantom/phantom_ct.nii.gz') -LabelPath (Join-Path $samples 'phantom/phantom_truth.nii.gz') `
    -OutputPath (Join-Path $demoOut 'measure') -ReportPath (Join-Path $demoOut 'report.html') -Summary -Force -Device Auto
$measured | Out-Host
Write-Host ("Organ Dice {0:0.###}: a runbook gates on it with (Measure-ClaraModel ...).Classes['organ'].MeanDice. Report: {1}" -f $measured.Classes['organ'].MeanDice, (Join-Path $demoOut 'report.html'))
if (-not $passes) { throw 'The sample MMAR did not pass Test-Mmar -Deep.' }
