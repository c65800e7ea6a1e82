# The validation report's writer as the built module ships it: its charts and overlays are drawn by SkiaSharp and
# HarfBuzzSharp, whose natives the module stages in bin/<rid>/ (build/ModuleFiles.psd1); this proves they load from
# there inside pwsh, where no .NET app's runtimes/ folder exists.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    function New-TinyReport {
        $shape = [long[]](12, 10, 8)
        $affine = [MdaiClara.Engine.Imaging.Affine]::Diagonal(-1.5, -1.5, 3)
        $image = [float[]]::new(12 * 10 * 8)
        $truth = [byte[]]::new(12 * 10 * 8)
        $prediction = [byte[]]::new(12 * 10 * 8)
        for ($i = 0; $i -lt $image.Length; $i++) {
            $x = $i % 12; $y = [math]::Floor($i / 12) % 10; $z = [math]::Floor($i / 120)
            $image[$i] = 100 + $x * 10 + $y
            if ($x -ge 3 -and $x -le 7 -and $y -ge 3 -and $y -le 6 -and $z -ge 2 -and $z -le 5) { $truth[$i] = 1 }
            if ($x -ge 4 -and $x -le 8 -and $y -ge 3 -and $y -le 6 -and $z -ge 2 -and $z -le 5) { $prediction[$i] = 1 }
        }
        $volume = { param($data, $name) [MdaiClara.Engine.Imaging.Volume]::new($data, $shape, $affine, $name) }
        $labels = [MdaiClara.Engine.Reporting.ReportLabel[]]@([MdaiClara.Engine.Reporting.ReportLabel]::new(1, 'spleen'))
        $images = [MdaiClara.Engine.Reporting.ReportCaseImages]::new((& $volume $image 'image'), (& $volume $truth 'truth'), (& $volume $prediction 'prediction'), $labels)
        $values = [MdaiClara.Engine.Reporting.ReportCaseValue[]]@(
            [MdaiClara.Engine.Reporting.ReportCaseValue]::new('spleen', 'Dice', 0.8, $null),
            [MdaiClara.Engine.Reporting.ReportCaseValue]::new('spleen', 'HD95 (mm)', 1.5, $null))
        $case = [MdaiClara.Engine.Reporting.ReportCase]::new('case <1>', $values)
        $case.GetType().GetProperty('Images').SetValue($case, $images)
        $summary = [MdaiClara.Engine.Reporting.ReportMetricSummary[]]@(
            [MdaiClara.Engine.Reporting.ReportMetricSummary]::new('Dice', [MdaiClara.Engine.Reporting.ReportInterval]::new(0.8, 0.8, 0.8, 1)))
        $provenance = [MdaiClara.Engine.Reporting.ReportProvenance]::new('tiny', '1', $null, '0.1.0', [DateTimeOffset]::UtcNow, 'cpu', 'MONAI 1.3', 'built in the test')
        [MdaiClara.Engine.Reporting.ValidationReport]::new($provenance, 'Segmentation',
            [MdaiClara.Engine.Reporting.ReportClassRow[]]@([MdaiClara.Engine.Reporting.ReportClassRow]::new('spleen', $summary)),
            [MdaiClara.Engine.Reporting.ReportCase[]]@($case))
    }
}

Describe 'ValidationReportWriter in the built module' {
    It 'draws its charts and overlays with the staged SkiaSharp natives and embeds them as PNGs' {
        $natives = Join-Path (Split-Path $ModuleManifest -Parent) 'bin/linux-x64'
        if ($IsLinux) {
            Join-Path $natives 'libSkiaSharp.so' | Should -Exist
            Join-Path $natives 'libHarfBuzzSharp.so' | Should -Exist
        }
        $path = Join-Path $TestDrive 'report.html'
        [MdaiClara.Engine.Reporting.ValidationReportWriter]::Write((New-TinyReport), $path, [Threading.CancellationToken]::None)

        $html = Get-Content -LiteralPath $path -Raw
        $html | Should -Match 'case &lt;1&gt;'
        $sources = @([regex]::Matches($html, '<img src="data:image/png;base64,([^"]+)"') | ForEach-Object { $_.Groups[1].Value })
        $sources.Count | Should -Be (1 + 1 + 3)   # Dice and HD95 charts, three views
        foreach ($source in $sources) {
            $bytes = [Convert]::FromBase64String($source)
            $bytes[0..7] | Should -Be @(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
            $bytes.Length | Should -BeGreaterThan 200
        }
        @(Get-ChildItem -LiteralPath $TestDrive -Force -Filter '*.tmp') | Should -BeNullOrEmpty
    }
}
