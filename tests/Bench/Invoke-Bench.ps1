<#
.SYNOPSIS
    Benchmarks for the targets the issues set, each compared with a peer measured in the same run.
    build.ps1 -Task Bench runs it in a fresh pwsh against the staged module; results go to output/bench.
.NOTES
    Absolute times on shared 2-core machines are noise; read the ratios.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $OutputDirectory,
    [int] $Repeat = 7
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$sample = Join-Path $PSScriptRoot '../../samples/clara_pt_phantom_ct_segmentation' | Resolve-Path | ForEach-Object Path

function Get-Median([double[]] $values) {
    $sorted = $values | Sort-Object
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

function Invoke-Fresh([string] $script) {
    # One fresh pwsh per sample, as a user's session starts; returns its last output line.
    $out = & dotnet $pwshDll -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE -ne 0) { throw "pwsh failed: $out" }
    @($out)[-1]
}

Write-Host "Benchmark: $Repeat fresh pwsh processes per measurement on $([Environment]::ProcessorCount) cores"

# 1. Import-Module (target <= 1 s, libtorch not loaded) vs the first use of libtorch that import defers.
$import = @(); $firstTorch = @(); $loadedAfterImport = @()
for ($i = 0; $i -lt $Repeat; $i++) {
    $line = Invoke-Fresh @"
`$sw = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$ModuleManifest'; `$import = `$sw.Elapsed.TotalMilliseconds
`$mapped = @(Get-Content /proc/`$PID/maps | Where-Object { `$_ -match 'libtorch_cpu' }).Count
`$sw.Restart(); `$null = Test-Mmar '$sample' -Deep; `$deep = `$sw.Elapsed.TotalMilliseconds
'{0};{1};{2}' -f `$import, `$deep, `$mapped
"@
    $parts = $line.Split(';')
    $import += [double] $parts[0]; $firstTorch += [double] $parts[1]; $loadedAfterImport += [int] $parts[2]
}

# 2. Get-Mmar on the sample (warm, in one process) vs reading the same config files with ConvertFrom-Json.
$line = Invoke-Fresh @"
Import-Module '$ModuleManifest'
`$null = Get-Mmar '$sample'
`$files = Get-ChildItem '$sample/config' -Filter *.json
`$g = foreach (`$i in 1..20) { `$sw = [Diagnostics.Stopwatch]::StartNew(); `$null = Get-Mmar '$sample'; `$sw.Elapsed.TotalMilliseconds }
`$t = foreach (`$i in 1..20) { `$sw = [Diagnostics.Stopwatch]::StartNew(); `$null = Test-Mmar '$sample'; `$sw.Elapsed.TotalMilliseconds }
`$j = foreach (`$i in 1..20) { `$sw = [Diagnostics.Stopwatch]::StartNew(); foreach (`$f in `$files) { `$null = Get-Content `$f.FullName -Raw | ConvertFrom-Json }; `$null = Get-FileHash '$sample/models/model.ts'; `$sw.Elapsed.TotalMilliseconds }
'{0};{1};{2}' -f ((`$g | Sort-Object)[10]), ((`$t | Sort-Object)[10]), ((`$j | Sort-Object)[10])
"@
$parts = $line.Split(';')
$getMmar = [double] $parts[0]; $testMmar = [double] $parts[1]; $jsonPeer = [double] $parts[2]

$threads = Invoke-Fresh "Import-Module '$ModuleManifest'; `$null = Test-Mmar '$sample' -Deep; [TorchSharp.torch]::get_num_threads()"

# 3. A 512×512×300 CT series (uncompressed, warm cache) read as int16 HU, in two encodings: signed 16-bit (intercept 0)
#    and the usual scanner encoding (unsigned 12-bit, intercept -1024), each vs pydicom building the same numpy volume;
#    and the same volume as .nii.gz vs nibabel. Peers run in their own processes; each side reports its best of several runs.
$peer = Join-Path $PSScriptRoot 'imaging_peer.py'
function Measure-DicomSeries([string] $encoding) {
    $ct = Join-Path $OutputDirectory "ct512-$encoding"
    & /usr/bin/python3 $peer make $ct $encoding
    if ($LASTEXITCODE -ne 0) { throw 'Could not generate the benchmark CT series (needs python3-pydicom, python3-nibabel).' }
    foreach ($f in Get-ChildItem $ct -File) { $null = [IO.File]::ReadAllBytes($f.FullName) } # warm the page cache
    $pydicom = & /usr/bin/python3 $peer pydicom $ct 3 | ConvertFrom-Json
    $line = Invoke-Fresh @"
Import-Module '$ModuleManifest'
`$null = Import-MedicalImage '$(Join-Path $PSScriptRoot '../fixtures/dicom/series/axial_hfs')'
function Rss([string] `$key) { [double]((Get-Content /proc/self/status | Where-Object { `$_ -like "`${key}:*" }) -replace '[^0-9]', '') * 1024 }
[GC]::Collect(); `$baseline = Rss 'VmRSS'; `$allocated = [GC]::GetTotalAllocatedBytes(`$true)
`$sw = [Diagnostics.Stopwatch]::StartNew(); `$v = Import-MedicalImage '$ct'; `$first = `$sw.Elapsed.TotalSeconds
`$allocated = [GC]::GetTotalAllocatedBytes(`$true) - `$allocated; `$peak = (Rss 'VmHWM') - `$baseline
if ("`$(`$v.DataType)" -ne 'Int16') { throw "expected an Int16 HU volume, got `$(`$v.DataType)" }
`$bytes = `$v.VoxelCount * 2; `$v = `$null; [GC]::Collect()
`$times = foreach (`$i in 1..5) { `$sw.Restart(); `$v = Import-MedicalImage '$ct'; `$sw.Elapsed.TotalSeconds; `$v = `$null; [GC]::Collect() }
`$nifti = foreach (`$i in 1..3) { `$sw.Restart(); `$v = Import-MedicalImage '$ct.nii.gz'; `$sw.Elapsed.TotalSeconds; `$v = `$null; [GC]::Collect() }
'{0};{1};{2};{3};{4};{5}' -f `$first, (`$times | Measure-Object -Minimum).Minimum, `$allocated, `$peak, `$bytes, (`$nifti | Measure-Object -Minimum).Minimum
"@
    $first, $best, $allocated, $peak, $bytes, $nifti = $line.Split(';') | ForEach-Object { [double] $_ }
    $nibabel = & /usr/bin/python3 $peer nibabel "$ct.nii.gz" 3 | ConvertFrom-Json
    [ordered]@{
        pydicom_seconds_best         = [math]::Round($pydicom.seconds, 4)
        ours_seconds_best            = [math]::Round($best, 4)
        ours_seconds_first_call      = [math]::Round($first, 4)
        pydicom_over_ours            = [math]::Round($pydicom.seconds / $best, 2)
        volume_mb                    = [math]::Round($bytes / 1MB, 1)
        ours_allocated_over_volume   = [math]::Round($allocated / $bytes, 3)
        ours_peak_rss_over_volume    = [math]::Round($peak / $bytes, 3)
        pydicom_peak_rss_over_volume = [math]::Round($pydicom.peak_mb * 1MB / $bytes, 3)
        nibabel_nii_gz_seconds_best  = [math]::Round($nibabel.seconds, 4)
        ours_nii_gz_seconds_best     = [math]::Round($nifti, 4)
        nibabel_over_ours            = [math]::Round($nibabel.seconds / $nifti, 2)
    }
}
$s16 = Measure-DicomSeries 's16'
$u12 = Measure-DicomSeries 'u12'

# 4. Inference overhead: the sample MMAR on a 256×256×128 volume, the whole Invoke-ClaraInference (read, pre-transforms,
#    sliding window, post-transforms, Invertd, write) against bare forward passes of the same model over the same
#    number of windows in the same batch sizes, in one process on the CPU, best of several runs each.
$ct256 = Join-Path $OutputDirectory 'ct256.nii.gz'
& /usr/bin/python3 $peer ct256 $ct256
if ($LASTEXITCODE -ne 0) { throw 'Could not generate the 256×256×128 inference volume (needs python3-nibabel).' }
# A failing forward pass stops the bench (Stop) instead of ending its loop early and leaving a tiny bare time, and the
# bare loops count their forward calls, which the check requires to be what the windows need (one full bench run
# reported a bare time of 0.004 s for 50 calls, not reproduced by hand).
$inferenceLine = Invoke-Fresh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
`$out = Join-Path '$OutputDirectory' 'inference-out'
`$mmar = Get-Mmar '$sample'
`$warm = Invoke-ClaraInference -Mmar `$mmar -Path '$ct256' -OutputPath `$out -Force -Device Cpu
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$whole = foreach (`$i in 1..$([math]::Max(2, [int]($Repeat / 3)))) { `$sw.Restart(); `$r = Invoke-ClaraInference -Mmar `$mmar -Path '$ct256' -OutputPath `$out -Force -Device Cpu; `$sw.Elapsed.TotalSeconds }
# The same forward passes without the pipeline: sw_batch_size windows per call, the last call with the remainder.
`$inferer = `$mmar.InferenceConfig.Inferer.Args
`$roi = [long[]] @(`$inferer['roi_size'])
`$batch = [int] `$inferer['sw_batch_size']
`$model = [MdaiClara.Engine.Inference.TorchScriptModel]::Load((Join-Path '$sample' 'models/model.ts'), [MdaiClara.Engine.Inference.DeviceSpec]::Cpu, `$null)
`$calls = [math]::Ceiling(`$r.Windows / `$batch); `$last = `$r.Windows - (`$calls - 1) * `$batch
`$full = [TorchSharp.torch]::rand([long[]] (@(`$batch, 1) + `$roi))
`$tail = [TorchSharp.torch]::rand([long[]] (@(`$last, 1) + `$roi))
`$mode = [TorchSharp.torch]::inference_mode()
`$bareRuns = [math]::Max(2, [int]($Repeat / 3)); `$forwards = 0
`$bare = foreach (`$i in 1..`$bareRuns) {
    `$sw.Restart()
    for (`$c = 0; `$c -lt `$calls; `$c++) { `$y = `$model.Forward(`$(if (`$c -eq `$calls - 1) { `$tail } else { `$full })); `$y.Dispose(); `$forwards++ }
    `$sw.Elapsed.TotalSeconds
}
`$mode.Dispose(); `$model.Dispose()
'{0};{1};{2};{3};{4};{5};{6};{7}' -f (`$whole | Measure-Object -Minimum).Minimum, (`$bare | Measure-Object -Minimum).Minimum, `$r.Windows, (`$r.ModelInputShape -join 'x'), [TorchSharp.torch]::get_num_threads(), `$r.Timings.ToString(), `$forwards, (`$calls * `$bareRuns)
"@
$inferenceParts = $inferenceLine.Split(';')
$wholeSeconds = [double] $inferenceParts[0]; $bareSeconds = [double] $inferenceParts[1]
$bareForwardsRun = [int] $inferenceParts[6]; $bareForwardsNeeded = [int] $inferenceParts[7]

# 5. MD.ai results: a 512×512×300 label volume (two structures over about 60 slices) on the s16 series' grid turned
#    into MD.ai's per-instance list and written as JSON, by MdaiClara (what -OutputFormat Mdai does) and by the
#    generated mdai_deploy.py's own code on the same volume; series and labels already loaded on both sides; the two
#    lists must be equal.
$ct512 = Join-Path $OutputDirectory 'ct512-s16'
$mdaiLabels = Join-Path $OutputDirectory 'mdai-labels.nii.gz'
& /usr/bin/python3 $peer mdai_labels $ct512 $mdaiLabels
if ($LASTEXITCODE -ne 0) { throw 'Could not write the MD.ai benchmark label volume.' }
$pythonJson = Join-Path $OutputDirectory 'mdai-python.json'
$oursJson = Join-Path $OutputDirectory 'mdai-ours.json'
$mdaiPeer = & /usr/bin/python3 $peer mdai_outputs $ct512 $mdaiLabels $pythonJson 2 | ConvertFrom-Json
$mdaiLine = Invoke-Fresh @"
Import-Module '$ModuleManifest'
function Rss([string] `$key) { [double]((Get-Content /proc/self/status | Where-Object { `$_ -like "`${key}:*" }) -replace '[^0-9]', '') * 1024 }
`$series = Import-MedicalImage '$ct512'
`$label = Import-MedicalImage '$mdaiLabels'
[GC]::Collect(); [IO.File]::WriteAllText('/proc/self/clear_refs', '5'); `$baseline = Rss 'VmRSS'
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$times = foreach (`$i in 1..2) {
    `$sw.Restart()
    [MdaiClara.Engine.Publishing.MdaiResultFile]::Write([MdaiClara.Engine.Mdai.MdaiOutputBuilder]::SegmentationOutputs(`$label, `$series.Dicom, `$series.Shape, `$series.Affine, `$null), '$oursJson', `$null)
    `$sw.Elapsed.TotalSeconds
}
'{0};{1}' -f (`$times | Measure-Object -Minimum).Minimum, ((Rss 'VmHWM') - `$baseline)
"@
$mdaiOurs, $mdaiPeak = $mdaiLine.Split(';') | ForEach-Object { [double] $_ }
$mdaiSame = (& /usr/bin/python3 $peer mdai_same $pythonJson $oursJson | ConvertFrom-Json).same

# 5b. DICOM SEG: the same two-structure 512×512×300 label map on the s16 series' grid written as a binary Segmentation
#     object (what Export-DicomSeg and -OutputFormat DicomSeg do), warm, best of several runs; its size and frame count.
$segPath = Join-Path $OutputDirectory 'seg512.dcm'
$segLine = Invoke-Fresh @"
Import-Module '$ModuleManifest'
`$series = Import-MedicalImage '$ct512'
`$nifti = Import-MedicalImage '$mdaiLabels'
`$label = [MdaiClara.Engine.Imaging.Volume]::new(`$nifti.GetVoxels(), [long[]] `$nifti.Shape, `$series.Affine, '$mdaiLabels')
`$label.Dicom = `$series.Dicom
`$options = [MdaiClara.Engine.Imaging.Seg.DicomSegOptions]::new()
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$times = foreach (`$i in 1..3) {
    `$sw.Restart()
    `$written = [MdaiClara.Engine.Imaging.Seg.DicomSegWriter]::Write(`$label, `$options, '$segPath', [Threading.CancellationToken]::None)
    `$sw.Elapsed.TotalSeconds
}
'{0};{1};{2};{3}' -f (`$times | Measure-Object -Minimum).Minimum, `$written.Bytes, `$written.Frames, `$written.Segments
"@
$segSeconds, $segBytes, $segFrames, $segSegments = $segLine.Split(';') | ForEach-Object { [double] $_ }
$segErrors = @(& dciodvfy $segPath 2>&1 | Where-Object { "$_" -like 'Error*' }).Count

# 6. Small volumes, end to end: every golden pipeline case (tests/fixtures/golden/pipelines, MONAI 1.3.2 configs, 1.x
#    semantics) run by Invoke-ClaraInference (read, pre-transforms, inferer, post-transforms, Invertd, write) against MONAI
#    1.3.2 itself running the same config with the golden set's runner (monai_pipeline_peer.py, Debian's python3-torch,
#    MONAI from MDAICLARA_MONAI), both warm (model loaded, one run first), best of several runs, in this one bench run.
$golden = Join-Path $PSScriptRoot '../fixtures/golden' | Resolve-Path | ForEach-Object Path
$smallCases = 'seg_cropfg', 'seg_dicom_s16', 'seg_lps_spacing_orient', 'seg_ras_noresample', 'cls_png8'
$smallRepeat = [math]::Max(3, [int]($Repeat / 2))
$monaiOut = Join-Path $OutputDirectory 'small-monai'
$monaiJson = & /usr/bin/python3 (Join-Path $PSScriptRoot 'monai_pipeline_peer.py') (Join-Path $golden 'pipelines') $monaiOut $smallRepeat @smallCases 2>$null
$monai = if ($LASTEXITCODE -eq 0) { $monaiJson | Select-Object -Last 1 | ConvertFrom-Json } else { $null }
if (-not $monai) { Write-Warning 'The MONAI peer did not run: set MDAICLARA_MONAI to a folder holding MONAI 1.3.2''s monai package, and install python3-torch python3-nibabel python3-pil python3-skimage.' }
$smallMmars = Join-Path $OutputDirectory 'small-mmars'
$smallLine = Invoke-Fresh @"
Import-Module '$ModuleManifest'
`$lines = foreach (`$c in '$($smallCases -join "','")') {
    `$case = Get-Content (Join-Path '$golden' "pipelines/`$c/case.json") -Raw | ConvertFrom-Json
    `$m = Join-Path '$smallMmars' `$c
    `$null = New-Item -ItemType Directory -Force -Path (Join-Path `$m 'config'), (Join-Path `$m 'models')
    Copy-Item (Join-Path '$golden' "pipelines/`$c/config_inference.json") (Join-Path `$m 'config')
    Copy-Item (Join-Path '$golden' `$case.model) (Join-Path `$m 'models/model.ts')
    @{ DATA_ROOT = '.'; MMAR_EVAL_OUTPUT_PATH = 'eval'; MMAR_CKPT_DIR = 'models'; MMAR_TORCHSCRIPT = 'models/model.ts' } | ConvertTo-Json | Set-Content (Join-Path `$m 'config/environment.json')
    `$mmar = Get-Mmar `$m
    `$in = Join-Path '$golden' `$case.input
    `$out = Join-Path '$OutputDirectory' "small-ours/`$c"
    `$null = Invoke-ClaraInference -Mmar `$mmar -Path `$in -OutputPath `$out -Force -MonaiSemantics 1.3 -Device Cpu
    `$sw = [Diagnostics.Stopwatch]::StartNew()
    `$t = foreach (`$i in 1..$smallRepeat) { `$sw.Restart(); `$r = Invoke-ClaraInference -Mmar `$mmar -Path `$in -OutputPath `$out -Force -MonaiSemantics 1.3 -Device Cpu; `$sw.Elapsed.TotalSeconds }
    # The floor: the same forward passes alone (sw_batch_size windows per call, the last with the remainder; one call
    # for a SimpleInferer), in this process, best of as many runs.
    `$model = [MdaiClara.Engine.Inference.TorchScriptModel]::Load((Join-Path `$m 'models/model.ts'), [MdaiClara.Engine.Inference.DeviceSpec]::Cpu, `$null)
    `$args_ = `$mmar.InferenceConfig.Inferer.Args
    `$shape = if (`$args_ -and `$args_['roi_size']) { [long[]] (@(1, `$r.ModelInputShape[0]) + @(`$args_['roi_size'])) } else { [long[]] (@(1) + `$r.ModelInputShape) }
    `$batch = if (`$args_ -and `$args_['sw_batch_size']) { [int] `$args_['sw_batch_size'] } else { 1 }
    `$windows = [math]::Max(1, `$r.Windows)
    `$calls = [math]::Ceiling(`$windows / `$batch); `$last = `$windows - (`$calls - 1) * `$batch
    `$full = [TorchSharp.torch]::rand([long[]] (@([math]::Min(`$batch, `$windows)) + `$shape[1..(`$shape.Count - 1)]))
    `$tail = [TorchSharp.torch]::rand([long[]] (@(`$last) + `$shape[1..(`$shape.Count - 1)]))
    `$mode = [TorchSharp.torch]::inference_mode()
    `$bare = foreach (`$i in 0..$smallRepeat) {
        `$sw.Restart()
        for (`$k = 0; `$k -lt `$calls; `$k++) { `$y = `$model.Forward(`$(if (`$k -eq `$calls - 1) { `$tail } else { `$full })); `$y.Dispose() }
        `$sw.Elapsed.TotalSeconds
    }
    `$mode.Dispose(); `$model.Dispose(); `$full.Dispose(); `$tail.Dispose()
    '{0}={1}={2}={3}' -f `$c, (`$t | Measure-Object -Minimum).Minimum, `$r.Timings.ToString(), (`$bare | Select-Object -Skip 1 | Measure-Object -Minimum).Minimum
}
`$lines -join '|'
"@
$small = [ordered]@{}
foreach ($entry in $smallLine.Split('|')) {
    $name, $seconds, $timings, $bareSeconds = $entry.Split('=')
    $peerSeconds = if ($monai) { [double] $monai.cases.$name.seconds_best } else { [double]::NaN }
    $peerForward = if ($monai) { [double] $monai.cases.$name.forward_seconds_of_best } else { [double]::NaN }
    $small[$name] = [ordered]@{
        ours_seconds_best = [math]::Round([double] $seconds, 4); monai_seconds_best = [math]::Round($peerSeconds, 4)
        ours_over_monai = [math]::Round([double] $seconds / $peerSeconds, 3); ours_timings_last_run = $timings
        # What no faithful run can skip: the model's forward passes over the case's windows, ours alone in our
        # process and MONAI's inside its best run. bare_forward_over_monai is the lowest ratio any pipeline of ours
        # could reach with this libtorch on this machine.
        ours_bare_forward_seconds_best = [math]::Round([double] $bareSeconds, 4); monai_forward_seconds = [math]::Round($peerForward, 4)
        monai_forward_share = [math]::Round($peerForward / $peerSeconds, 3); bare_forward_over_monai = [math]::Round([double] $bareSeconds / $peerSeconds, 3)
    }
}
# 7. Segmentation metrics: a 512×512×300 uint8 label pair (0.7×0.7×1.5 mm; a large organ and a small lesion, the
#    prediction shifted and resized, with a false-positive island), both already loaded: SegmentationMetrics.Compute
#    (Dice, IoU, HD, HD95, mean surface distance, surface Dice, volumes; distances in mm) against MONAI 1.3.2's
#    DiceMetric + HausdorffDistanceMetric(percentile=95) + SurfaceDistanceMetric(symmetric=True) on the CPU with the
#    same spacing (metrics_peer.py; one-hot conversion included, as MONAI needs it). Best of several runs each; peak
#    memory is the rise of the high-water mark (reset through /proc/self/clear_refs) over the resident set before.
$metricsPeer = Join-Path $PSScriptRoot 'metrics_peer.py'
$metricsDir = Join-Path $OutputDirectory 'metrics512'
& /usr/bin/python3 $metricsPeer make $metricsDir
if ($LASTEXITCODE -ne 0) { throw 'Could not write the metrics benchmark label pair (needs python3-numpy, python3-nibabel).' }
$metricsMonai = & /usr/bin/python3 $metricsPeer monai $metricsDir 2 2>$null | ConvertFrom-Json
if (-not $metricsMonai) { Write-Warning 'The MONAI metrics peer did not run: set MDAICLARA_MONAI to a folder holding MONAI 1.3.2''s monai package, and install python3-torch python3-scipy.' }
$metricsLine = Invoke-Fresh @"
Import-Module '$ModuleManifest'
function Rss([string] `$key) { [double]((Get-Content /proc/self/status | Where-Object { `$_ -like "`${key}:*" }) -replace '[^0-9]', '') * 1024 }
`$pred = Import-MedicalImage '$(Join-Path $metricsDir 'pred.nii.gz')'
`$label = Import-MedicalImage '$(Join-Path $metricsDir 'label.nii.gz')'
if ("`$(`$label.DataType)" -ne 'UInt8') { throw "expected a UInt8 label volume, got `$(`$label.DataType)" }
`$classes = [MdaiClara.Engine.Metrics.SegmentationClass[]] @([MdaiClara.Engine.Metrics.SegmentationClass]::new(1, 'organ'), [MdaiClara.Engine.Metrics.SegmentationClass]::new(2, 'lesion'))
`$options = [MdaiClara.Engine.Metrics.SegmentationMetricOptions]::new(2.0, 95)
`$null = [MdaiClara.Engine.Metrics.SegmentationMetrics]::Compute(`$pred, `$label, `$classes, `$options, [Threading.CancellationToken]::None) # warm-up (JIT)
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$peak = 0
`$times = foreach (`$i in 1..3) {
    # Each run starts from a collected heap, so its high-water mark is its own working memory (not earlier runs' garbage).
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    [IO.File]::WriteAllText('/proc/self/clear_refs', '5'); `$baseline = Rss 'VmRSS'
    `$sw.Restart()
    `$m = [MdaiClara.Engine.Metrics.SegmentationMetrics]::Compute(`$pred, `$label, `$classes, `$options, [Threading.CancellationToken]::None)
    `$sw.Elapsed.TotalSeconds
    `$peak = [math]::Max(`$peak, (Rss 'VmHWM') - `$baseline)
}
'{0};{1};{2};{3}' -f (`$times | Measure-Object -Minimum).Minimum, `$peak, `$label.VoxelCount, ((`$m | ForEach-Object { '{0:R},{1:R},{2:R}' -f `$_.Dice, `$_.Hausdorff95Mm, `$_.MeanSurfaceDistanceMm }) -join ',')
"@
$metricsParts = $metricsLine.Split(';')
$metricsOurs = [double] $metricsParts[0]
$metricsPeak = [double] $metricsParts[1]
$metricsVolumeBytes = [double] $metricsParts[2]
$metricsOursValues = $metricsParts[3].Split(',') | ForEach-Object { [double] $_ }
$metricsAgree = $false
if ($metricsMonai) {
    $monaiValues = @($metricsMonai.values.dice[0], $metricsMonai.values.hd95[0], $metricsMonai.values.asd[0], $metricsMonai.values.dice[1], $metricsMonai.values.hd95[1], $metricsMonai.values.asd[1])
    $metricsAgree = @(0..5 | Where-Object { [math]::Abs($metricsOursValues[$_] - $monaiValues[$_]) -gt $(if ($_ % 3 -eq 0) { 1e-6 } else { 1e-4 }) }).Count -eq 0
}

$smallRatios = @($small.Values | ForEach-Object { $_.ours_over_monai })
$smallGeoMean = [math]::Exp((($smallRatios | ForEach-Object { [math]::Log($_) }) | Measure-Object -Sum).Sum / $smallRatios.Count)
$floorRatios = @($small.Values | ForEach-Object { $_.bare_forward_over_monai })
$floorGeoMean = [math]::Exp((($floorRatios | ForEach-Object { [math]::Log($_) }) | Measure-Object -Sum).Sum / $floorRatios.Count)

# 8. Rasterising 10,000 MD.ai polygons: freeform annotations (16-120 float vertices, a few off the image) drawn into one
#    512x512 plane as mdai-client-py's load_mask draws them, by MdaiClara (AnnotationPainter, from the parsed annotation
#    data) and by Debian's OpenCV 4.6 (np.int32 + cv2.fillPoly, from the parsed JSON lists), each best of 5 in its own
#    process; also the fill alone, with the int32 vertices made beforehand on both sides. The final planes must be equal.
$polygons = Join-Path $OutputDirectory 'mdai-polygons.json'
& /usr/bin/python3 (Join-Path $PSScriptRoot 'rasterise_peer.py') make $polygons 10000 20261207
if ($LASTEXITCODE -ne 0) { throw 'Could not write the rasterising benchmark polygons (needs python3-opencv).' }
$opencv = & /usr/bin/python3 (Join-Path $PSScriptRoot 'rasterise_peer.py') draw $polygons 5 | ConvertFrom-Json
$rasterLine = Invoke-Fresh @"
Import-Module '$ModuleManifest'
`$engine = [MdaiClara.Engine.Mdai.Annotations.AnnotationPainter].Assembly.Location
Add-Type -Path '$(Join-Path $PSScriptRoot 'RasterBench.cs')' -IgnoreWarnings -WarningAction SilentlyContinue -ReferencedAssemblies `$engine, System.Text.Json, System.Security.Cryptography, System.Linq, System.Collections, System.Runtime, System.Memory
[RasterBench]::Run('$polygons', 5)
"@
$rasterOurs, $rasterFillOurs, $rasterHash = $rasterLine.Split(';')

# 9. PACS retrieval: the s16 512×512×300 series (150 MB) served by a local Orthanc (DICOMweb plugin, authentication on,
#    TCP_NODELAY=1, started by tests/Pester/Orthanc.ps1) retrieved by Receive-DicomSeries into a folder (300 files,
#    each written under a temporary name and renamed) against curl fetching the same WADO-RS URL in one request into one
#    file; both warm (one run first), alternating in one process so machine load hits both alike, best of several
#    runs each. Memory: our process's peak RSS growth and managed allocation during one retrieval, against the
#    series' size (flat = a small fraction of it).
. (Join-Path $PSScriptRoot '../Pester/Orthanc.ps1')
$pacsRepeat = [math]::Max(3, [int]($Repeat / 2))
$orthanc = Start-TestOrthanc -Folder (Join-Path $OutputDirectory 'orthanc')
try {
    $env:MDAICLARA_BENCH_PACS_PASSWORD = $orthanc.Password
    $pacsLine = Invoke-Fresh @"
`$ProgressPreference = 'SilentlyContinue'
Import-Module '$ModuleManifest'
function Rss([string] `$key) { [double]((Get-Content /proc/self/status | Where-Object { `$_ -like "`${key}:*" }) -replace '[^0-9]', '') * 1024 }
`$cred = [pscredential]::new('$($orthanc.User)', (ConvertTo-SecureString `$env:MDAICLARA_BENCH_PACS_PASSWORD -AsPlainText -Force))
`$null = New-DicomWebConnection -Uri '$($orthanc.Uri)' -Credential `$cred -Name bench
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$stored = @(Send-DicomInstance -Connection bench -Path '$ct512')
`$stow = `$sw.Elapsed.TotalSeconds
`$series = @(Find-DicomSeries -Connection bench -PatientID BENCH)
if (`$series.Count -ne 1 -or `$stored.Count -ne 300) { throw "expected one 300-instance series on the PACS, got `$(`$series.Count) series, `$(`$stored.Count) stored" }
`$target = Join-Path '$OutputDirectory' 'pacs-ours'
`$curlOut = Join-Path '$OutputDirectory' 'pacs-curl.multipart'
`$url = '$($orthanc.Uri)/studies/{0}/series/{1}' -f `$series[0].StudyInstanceUid, `$series[0].SeriesInstanceUid
`$curlArgs = @('-s', '-f', '-o', `$curlOut, '-u', "$($orthanc.User):`$env:MDAICLARA_BENCH_PACS_PASSWORD", '-H', 'Accept: multipart/related; type="application/dicom"; transfer-syntax=*', `$url)
function Invoke-CurlPeer { & curl @curlArgs; if (`$LASTEXITCODE -ne 0) { throw "curl failed with `$LASTEXITCODE" } }
Invoke-CurlPeer; `$null = `$series | Receive-DicomSeries -Path `$target; Remove-Item -Recurse -Force `$target   # warm
[GC]::Collect(); `$baseline = Rss 'VmRSS'; `$allocated = [GC]::GetTotalAllocatedBytes(`$true)
`$r = `$series | Receive-DicomSeries -Path `$target
`$allocated = [GC]::GetTotalAllocatedBytes(`$true) - `$allocated; `$peak = (Rss 'VmHWM') - `$baseline
if (`$r.Received -ne 300) { throw "received `$(`$r.Received) of 300" }
`$ours = [Collections.Generic.List[double]]::new(); `$peer = [Collections.Generic.List[double]]::new()
foreach (`$i in 1..$pacsRepeat) {
    `$sw.Restart(); Invoke-CurlPeer; `$peer.Add(`$sw.Elapsed.TotalSeconds)
    Remove-Item -Recurse -Force `$target
    `$sw.Restart(); `$r = `$series | Receive-DicomSeries -Path `$target; `$ours.Add(`$sw.Elapsed.TotalSeconds)
}
`$bytes = (Get-ChildItem `$r.Path | Measure-Object Length -Sum).Sum
'{0};{1};{2};{3};{4};{5};{6}' -f (`$ours | Measure-Object -Minimum).Minimum, (`$peer | Measure-Object -Minimum).Minimum, `$allocated, `$peak, `$bytes, `$stow, (Get-Item `$curlOut).Length
"@
    $oursSeconds, $curlSeconds, $pacsAllocated, $pacsPeak, $pacsBytes, $stowSeconds, $curlBytes = $pacsLine.Split(';') | ForEach-Object { [double] $_ }
} finally {
    Remove-Item Env:MDAICLARA_BENCH_PACS_PASSWORD -ErrorAction SilentlyContinue
    Stop-TestOrthanc $orthanc
}

# 11. DIMSE C-GET: the same s16 series from a local Orthanc's DICOM port, Receive-DicomSeries over C-GET vs DCMTK's
#     getscu (tests/Bench/DimseGetBench.ps1: its own Orthanc, loaded with storescu; alternating, best of several).
$dimseGet = & (Join-Path $PSScriptRoot 'DimseGetBench.ps1') -ModuleManifest $ModuleManifest -OutputDirectory $OutputDirectory -Series $ct512 -Repeat $pacsRepeat

$result = [ordered]@{
    date                         = (Get-Date).ToString('o')
    machine                      = "$([Environment]::ProcessorCount) cores, $([Runtime.InteropServices.RuntimeInformation]::OSDescription)"
    repeat                       = $Repeat
    import_ms_median             = [math]::Round((Get-Median $import), 1)
    import_target_ms             = 1000
    libtorch_mapped_after_import = ($loadedAfterImport | Measure-Object -Maximum).Maximum
    first_deep_test_ms_median    = [math]::Round((Get-Median $firstTorch), 1)
    import_over_first_torch_use  = [math]::Round((Get-Median $import) / (Get-Median $firstTorch), 3)
    get_mmar_ms_median           = [math]::Round($getMmar, 2)
    test_mmar_ms_median          = [math]::Round($testMmar, 2)
    peer_convertfrom_json_and_hash_ms_median = [math]::Round($jsonPeer, 2)
    get_mmar_over_peer           = [math]::Round($getMmar / $jsonPeer, 2)
    torch_threads                = [int] $threads
    dicom_series                 = '512x512x300 -> int16 HU, uncompressed, warm cache; s16 = signed 16-bit, u12 = unsigned 12-bit + intercept -1024'
    dicom_speed_target           = 5
    memory_target                = 1.5
    inference_volume             = '256x256x128 int16 NIfTI, sample MMAR (roi 64x64x32, sw_batch_size 2, overlap 0.25), CPU'
    inference_model_input        = $inferenceParts[3]
    inference_windows            = [int] $inferenceParts[2]
    inference_torch_threads      = [int] $inferenceParts[4]
    inference_whole_seconds_best = [math]::Round($wholeSeconds, 3)
    inference_bare_forward_seconds_best = [math]::Round($bareSeconds, 3)
    inference_overhead_over_forward = [math]::Round(($wholeSeconds - $bareSeconds) / $bareSeconds, 3)
    inference_overhead_target    = 0.15
    inference_timings_last_run   = $inferenceParts[5]
    inference_bare_forward_calls = "$bareForwardsRun of $bareForwardsNeeded"
    mdai_outputs                 = "$($mdaiPeer.outputs) outputs for a 512x512x300 series, JSON written"
    mdai_generated_code_seconds_best = [math]::Round($mdaiPeer.seconds, 3)
    mdai_ours_seconds_best       = [math]::Round($mdaiOurs, 3)
    mdai_generated_code_over_ours = [math]::Round($mdaiPeer.seconds / $mdaiOurs, 2)
    mdai_ours_peak_rss_mb        = [math]::Round($mdaiPeak / 1MB, 1)
    mdai_generated_code_peak_rss_mb = [math]::Round($mdaiPeer.peak_mb, 1)
    mdai_lists_equal             = [bool] $mdaiSame
    dicom_seg                    = "512x512x300 two-structure label map on the s16 series -> binary SEG, $segSegments segments, $segFrames frames"
    dicom_seg_write_seconds_best = [math]::Round($segSeconds, 3)
    dicom_seg_bytes              = [long] $segBytes
    dicom_seg_dciodvfy_errors    = $segErrors
    pacs_series                  = "512x512x300 s16 CT ($([math]::Round($pacsBytes / 1MB, 1)) MB, 300 instances) from a local Orthanc 1.10 (DICOMweb, auth on, TCP_NODELAY=1)"
    pacs_ours_seconds_best       = [math]::Round($oursSeconds, 3)
    pacs_curl_seconds_best       = [math]::Round($curlSeconds, 3)
    pacs_ours_over_curl          = [math]::Round($oursSeconds / $curlSeconds, 3)
    pacs_ours_over_curl_target   = 1.5
    pacs_ours_peak_rss_growth_mb = [math]::Round($pacsPeak / 1MB, 1)
    pacs_ours_allocated_mb       = [math]::Round($pacsAllocated / 1MB, 1)
    pacs_curl_bytes              = [long] $curlBytes
    pacs_stow_seconds            = [math]::Round($stowSeconds, 3)
    small_volume_peer            = if ($monai) { "MONAI $($monai.monai), torch $($monai.torch), $($monai.threads) threads" } else { 'not run' }
    small_volume_cases           = $small
    small_volume_ours_over_monai = ($small.GetEnumerator() | ForEach-Object { '{0} {1} ({2} vs {3} s; forward floor {4})' -f $_.Key, $_.Value.ours_over_monai, $_.Value.ours_seconds_best, $_.Value.monai_seconds_best, $_.Value.bare_forward_over_monai }) -join '; '
    small_volume_ours_over_monai_geomean = [math]::Round($smallGeoMean, 3)
    small_volume_bare_forward_over_monai_geomean = [math]::Round($floorGeoMean, 3)
    small_volume_case_target     = 0.85
    small_volume_geomean_target  = 0.5
    metrics_pair                 = '512x512x300 uint8 label maps, 0.7x0.7x1.5 mm, organ + lesion; Dice, HD95, mean surface distance in mm'
    metrics_peer                 = if ($metricsMonai) { "MONAI $($metricsMonai.monai), torch $($metricsMonai.torch), $($metricsMonai.threads) threads" } else { 'not run' }
    metrics_monai_seconds_best   = if ($metricsMonai) { [math]::Round($metricsMonai.seconds, 3) } else { $null }
    metrics_ours_seconds_best    = [math]::Round($metricsOurs, 3)
    metrics_monai_over_ours      = if ($metricsMonai) { [math]::Round($metricsMonai.seconds / $metricsOurs, 2) } else { $null }
    metrics_speed_target         = 5
    metrics_ours_peak_over_volume = [math]::Round($metricsPeak / $metricsVolumeBytes, 3)
    metrics_monai_peak_over_volume = if ($metricsMonai) { [math]::Round($metricsMonai.peak_mb * 1MB / $metricsVolumeBytes, 3) } else { $null }
    metrics_memory_target        = 3
    metrics_values_agree_with_monai = [bool] $metricsAgree
    rasterise_polygons           = "$($opencv.polygons) MD.ai freeform polygons into a 512x512 plane, OpenCV $($opencv.opencv)"
    rasterise_ours_seconds_best  = [math]::Round([double] $rasterOurs, 4)
    rasterise_opencv_seconds_best = [math]::Round([double] $opencv.seconds, 4)
    rasterise_opencv_over_ours   = [math]::Round([double] $opencv.seconds / [double] $rasterOurs, 2)
    rasterise_fill_ours_seconds_best = [math]::Round([double] $rasterFillOurs, 4)
    rasterise_fill_opencv_seconds_best = [math]::Round([double] $opencv.fill_seconds, 4)
    rasterise_fill_opencv_over_ours = [math]::Round([double] $opencv.fill_seconds / [double] $rasterFillOurs, 2)
    rasterise_pixel_identical    = $rasterHash -eq $opencv.sha256
}

$file = Join-Path $OutputDirectory ("bench-{0:yyyyMMdd-HHmmss}.json" -f (Get-Date))
foreach ($key in $s16.Keys) { $result["s16_$key"] = $s16[$key] }
foreach ($key in $u12.Keys) { $result["u12_$key"] = $u12[$key] }
foreach ($key in $dimseGet.Keys) { $result[$key] = $dimseGet[$key] }
# 10. DIMSE C-STORE of the s16 series to storescp: Send-DicomInstance vs DCMTK's storescu (tests/Bench/Measure-DimseStore.ps1).
$dimseStore = & (Join-Path $PSScriptRoot 'Measure-DimseStore.ps1') -ModuleManifest (Resolve-Path $ModuleManifest).Path -OutputDirectory $OutputDirectory -Repeat $pacsRepeat
foreach ($key in $dimseStore.Keys) { $result[$key] = $dimseStore[$key] }
$result | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $file
Write-Host ''
[pscustomobject] $result | Select-Object * -ExcludeProperty small_volume_cases | Format-List | Out-Host  # the cases in full are in the JSON
Write-Host "Written to $file"
$checks = [ordered]@{
    "Import-Module <= $($result.import_target_ms) ms, libtorch not loaded" = $result.import_ms_median -le $result.import_target_ms -and $result.libtorch_mapped_after_import -eq 0
    "DICOM s16 series >= $($result.dicom_speed_target)x faster than pydicom" = $result.s16_pydicom_over_ours -ge $result.dicom_speed_target
    "DICOM u12 series >= $($result.dicom_speed_target)x faster than pydicom" = $result.u12_pydicom_over_ours -ge $result.dicom_speed_target
    "DICOM peak memory <= $($result.memory_target)x the volume"              = [math]::Max([math]::Max($result.s16_ours_allocated_over_volume, $result.s16_ours_peak_rss_over_volume), [math]::Max($result.u12_ours_allocated_over_volume, $result.u12_ours_peak_rss_over_volume)) -le $result.memory_target
    '.nii.gz read at least as fast as nibabel'                              = [math]::Min($result.s16_nibabel_over_ours, $result.u12_nibabel_over_ours) -ge 1
    "Invoke-ClaraInference overhead <= $($result.inference_overhead_target * 100)% of the bare forward passes" = $bareForwardsRun -eq $bareForwardsNeeded -and $bareForwardsNeeded -gt 0 -and $result.inference_overhead_over_forward -le $result.inference_overhead_target
    'MD.ai list equal to the generated code''s and made at least as fast'  = $result.mdai_lists_equal -and $result.mdai_generated_code_over_ours -ge 1
    "PACS retrieval <= $($result.pacs_ours_over_curl_target)x curl, memory flat (peak RSS growth <= 1/4 of the series)" = $result.pacs_ours_over_curl -le $result.pacs_ours_over_curl_target -and $pacsPeak -le $pacsBytes / 4
    'DICOM SEG of the 512x512x300 label map written and passed by dciodvfy' = $result.dicom_seg_dciodvfy_errors -eq 0 -and $result.dicom_seg_bytes -gt 0
    "Small volumes: every golden pipeline case <= $($result.small_volume_case_target)x MONAI's time" = [bool] $monai -and @($smallRatios | Where-Object { -not ($_ -le $result.small_volume_case_target) }).Count -eq 0
    "Small volumes: geometric mean <= $($result.small_volume_geomean_target)x MONAI's time" = [bool] $monai -and $smallGeoMean -le $result.small_volume_geomean_target
    "Segmentation metrics >= $($result.metrics_speed_target)x faster than MONAI, same values" = [bool] $metricsMonai -and $result.metrics_values_agree_with_monai -and $result.metrics_monai_over_ours -ge $result.metrics_speed_target
    "Segmentation metrics peak memory <= $($result.metrics_memory_target)x the label volume" = $result.metrics_ours_peak_over_volume -le $result.metrics_memory_target
    '10,000 MD.ai polygons rasterised pixel-identical to OpenCV (time reported as a ratio)' = $result.rasterise_pixel_identical
    "DIMSE C-GET of the 300-instance series at least as fast as getscu (getscu/ours >= $($result.dimse_get_target))" = $result.dimse_get_getscu_over_ours -ge $result.dimse_get_target
    "DIMSE C-STORE of the 512x512x300 series at least as fast as storescu" = $result.dimse_store_storescu_over_ours -ge $result.dimse_store_target
}
foreach ($check in $checks.GetEnumerator()) { Write-Host ('{0}: {1}' -f $check.Key, $(if ($check.Value) { 'met' } else { 'MISSED' })) }
if ($checks.Values -contains $false) { exit 1 }
