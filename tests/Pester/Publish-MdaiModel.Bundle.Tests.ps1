# Publish-MdaiModel -Bundle on the golden CT segmentation MONAI bundle, with the module as built: validated, packaged,
# the zip verified, the packaged bundle smoke-run on the module's phantom series and its MD.ai outputs checked, then
# delivered; a study the interface code refuses fails the smoke run; the quality gate measures the bundle.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Bundle = Join-Path $script:RepoRoot 'tests/fixtures/bundles/golden-ct-seg'
}

Describe 'Publish-MdaiModel -Bundle' {
    It 'validates, packages, verifies, smoke-runs and delivers the bundle' {
        $destination = Join-Path $TestDrive 'deliveries'
        $result = Publish-MdaiModel -Bundle $Bundle -Destination $destination -DeviceType Cpu
        $result.PSObject.TypeNames[0] | Should -Be 'MdaiClara.PublishResult'
        @($result.Checks.Name) | Should -Be @('Test-MonaiBundle', 'Package', 'Verify package', 'Smoke run', 'MD.ai output', 'Deliver')
        @($result.Checks | Where-Object Status -NE 'Passed') | Should -HaveCount 0
        ($result.Checks | Where-Object Name -EQ 'Verify package').Detail | Should -BeLike '*config.yaml (base_image py310, device_type cpu)*'
        ($result.Checks | Where-Object Name -EQ 'Smoke run').Detail | Should -Match 'organ [0-9.]+ mL.*SaveImaged writes \d+x\d+x\d+, which the packaged code reads as a label map'
        ($result.Checks | Where-Object Name -EQ 'MD.ai output').Detail | Should -Match '^[1-9]\d* outputs \([1-9]\d* annotations\) pass'
        $result.Scope | Should -BeLike "*not with MONAI itself*"
        $result.Delivered | Should -BeTrue
        $result.Package | Should -Be (Join-Path $destination 'golden-ct-seg.zip')
        (Get-FileHash -LiteralPath $result.Package -Algorithm SHA256).Hash | Should -Be $result.Sha256.ToUpperInvariant()
        $entries = [IO.Compression.ZipFile]::OpenRead($result.Package)
        try { @(@($entries.Entries.FullName) -like '*/bundle/configs/inference.json') | Should -HaveCount 1 } finally { $entries.Dispose() }
    }

    It 'stops at Test-MonaiBundle when the bundle has errors, and delivers nothing' {
        $broken = Join-Path $TestDrive 'broken'
        Copy-Item -LiteralPath $Bundle -Destination $broken -Recurse
        Set-Content -LiteralPath (Join-Path $broken 'configs/metadata.json') -Value '{ "version": '
        $destination = Join-Path $TestDrive 'broken-out'
        $result = Publish-MdaiModel -Bundle $broken -Destination $destination -ErrorAction SilentlyContinue -ErrorVariable failure
        @($result.Checks.Name) | Should -Be @('Test-MonaiBundle')
        $result.Checks[0].Status | Should -Be 'Failed'
        $failure | Should -Not -BeNullOrEmpty
        Test-Path -LiteralPath $destination | Should -BeFalse
    }

    It 'fails the smoke run on a study the interface code would refuse, and delivers nothing' {
        $destination = Join-Path $TestDrive 'multiframe'
        $result = Publish-MdaiModel -Bundle $Bundle -Destination $destination -DeviceType Cpu -Study (Join-Path $script:RepoRoot 'tests/fixtures/dicom/series/enhanced_multiframe') -ErrorAction SilentlyContinue -ErrorVariable failure
        $smoke = $result.Checks | Where-Object Name -EQ 'Smoke run'
        $smoke.Status | Should -Be 'Failed'
        $smoke.Detail | Should -Match 'interface code would refuse.*frames'
        "$failure" | Should -BeLike "*stopped at 'Smoke run'*"
        Test-Path -LiteralPath $destination | Should -BeFalse
    }

    It 'adds a Quality check on ground truth with -GroundTruth and -MinimumDice' {
        $truth = @{ Path = (Join-Path $Bundle 'sample_data/ct_pls.nii.gz'); LabelPath = (Join-Path $Bundle 'expected/ct_pls_seg.nii.gz') }
        $result = Publish-MdaiModel -Bundle $Bundle -Destination (Join-Path $TestDrive 'quality') -DeviceType Cpu -GroundTruth $truth -MinimumDice @{ organ = 0.99; lesion = 0.99 } -WhatIf
        $quality = $result.Checks | Where-Object Name -EQ 'Quality'
        $quality.Status | Should -Be 'Passed'
        $quality.Detail | Should -BeLike '*organ Dice 1 (minimum 0.99)*'
        ($result.Checks | Where-Object Name -EQ 'Deliver').Status | Should -Be 'Skipped'
    }
}
