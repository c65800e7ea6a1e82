# Publish-MdaiModel -Bundle on the golden CT segmentation MONAI bundle: validated, packaged, delivered; the checks
# without a bundle equivalent yet (Verify package, Smoke run) are Skipped with why, never Passed.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Bundle = Join-Path $script:RepoRoot 'tests/fixtures/bundles/golden-ct-seg'
}

Describe 'Publish-MdaiModel -Bundle' {
    It 'validates, packages and delivers the bundle, and records what was not run as Skipped' {
        $destination = Join-Path $TestDrive 'deliveries'
        $result = Publish-MdaiModel -Bundle $Bundle -Destination $destination -DeviceType Cpu
        $result.PSObject.TypeNames[0] | Should -Be 'MdaiClara.PublishResult'
        @($result.Checks.Name) | Should -Be @('Test-MonaiBundle', 'Package', 'Verify package', 'Smoke run', 'Deliver')
        ($result.Checks | Where-Object Name -EQ 'Test-MonaiBundle').Status | Should -Be 'Passed'
        ($result.Checks | Where-Object Name -EQ 'Verify package').Status | Should -Be 'Passed'
        ($result.Checks | Where-Object Name -EQ 'Verify package').Detail | Should -BeLike '*config.yaml (base_image py310, device_type cpu)*'
        ($result.Checks | Where-Object Name -EQ 'Smoke run').Status | Should -Be 'Skipped'
        ($result.Checks | Where-Object Name -EQ 'Smoke run').Detail | Should -BeLike 'not run:*'
        ($result.Checks | Where-Object Name -EQ 'Deliver').Status | Should -Be 'Passed'
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

    It 'refuses -Study and -GroundTruth with -Bundle, naming them' {
        { Publish-MdaiModel -Bundle $Bundle -Destination (Join-Path $TestDrive 'x') -Study $TestDrive -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*-Study and -GroundTruth*'
    }
}
