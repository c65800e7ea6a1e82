BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Cmdlets = @((Get-Module MdaiClara).ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Module = Get-Module MdaiClara
    $script:PwshDll = Join-Path $PSHOME 'pwsh.dll'
}

Describe 'The staged module' {
    It 'has the version of Directory.Build.props' {
        [xml] $props = Get-Content (Join-Path $RepoRoot 'Directory.Build.props') -Raw
        $version = @($props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode('ModuleVersion') } | Where-Object { $_ })[0].InnerText
        $Module.Version | Should -Be ([version] $version)
    }

    It 'needs PowerShell 7.4 and exports exactly its cmdlets' {
        $Module.PowerShellVersion | Should -Be ([version] '7.4')
        @($Module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @('ConvertTo-MdaiAnnotation', 'Export-DicomSeg', 'Export-MedicalImage', 'Find-DicomSeries', 'Find-DicomStudy', 'Get-DicomConnection', 'Get-DicomReceiver', 'Get-Mmar', 'Get-MonaiBundle', 'Import-MdaiAnnotation', 'Import-MedicalImage', 'Invoke-ClaraInference',
            'Measure-ClaraModel', 'New-DicomConnection', 'New-DicomWebConnection', 'New-MdaiModelPackage', 'Publish-MdaiModel', 'Receive-DicomSeries', 'Remove-DicomConnection', 'Repair-Mmar', 'Send-DicomInstance', 'Start-DicomReceiver', 'Stop-DicomReceiver', 'Test-DicomConnection', 'Test-MdaiModelOutput', 'Test-Mmar', 'Test-MonaiBundle')
        $Module.ExportedFunctions.Count | Should -Be 0
    }

    It 'ships only the allow-listed files: assemblies in bin, natives in bin/linux-x64' {
        $bin = Join-Path $Module.ModuleBase 'bin'
        $names = Get-ChildItem $bin -File | ForEach-Object Name
        $natives = Get-ChildItem (Join-Path $bin 'linux-x64') -File | ForEach-Object Name
        $names | Should -Contain 'MdaiClara.Engine.dll'
        $names | Should -Not -Contain 'libtorch_cpu.so'
        $names | Should -Not -Contain 'System.Management.Automation.dll'
        $natives | Should -Contain 'libtorch_cpu.so'
        $natives | Should -Contain 'libLibTorchSharp.so'
        $natives | Should -Not -Contain 'libtorch_python.so'
        @($names) + @($natives) | Where-Object { $_ -like '*test*' } | Should -BeNullOrEmpty
    }

    It 'does not load libtorch on import' {
        $script = "Import-Module '$ModuleManifest'; (Get-Module MdaiClara).Name; @(Get-Content /proc/`$PID/maps | Where-Object { `$_ -match 'libtorch|LibTorchSharp' }).Count"
        $out = & dotnet $PwshDll -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        $out[0] | Should -Be 'MdaiClara'
        $out[1] | Should -Be '0'
    }

    It 'loads libtorch on first need and only then' {
        $script = "Import-Module '$ModuleManifest'; `$null = Get-Mmar '$SampleMmar'; @(Get-Content /proc/`$PID/maps | Where-Object { `$_ -match 'libtorch_cpu' }).Count; `$null = Test-Mmar '$SampleMmar' -Deep; @(Get-Content /proc/`$PID/maps | Where-Object { `$_ -match 'libtorch_cpu' }).Count -gt 0"
        $out = & dotnet $PwshDll -NoProfile -NonInteractive -Command $script
        $out[0] | Should -Be '0'
        $out[1] | Should -Be 'True'
    }

    It 'patches its own libLibTorchSharp.so exactly when this host lacks GLIBCXX_3.4.32' {
        $bin = [IO.Path]::Combine($Module.ModuleBase, 'bin', 'linux-x64')
        $state = [MdaiClara.Engine.Inference.Native.GlibcxxCompat]::Inspect([MdaiClara.Engine.Inference.Native.ElfImage]::new([IO.File]::ReadAllBytes((Join-Path $bin 'libLibTorchSharp.so'))))
        $hostNeedsFix = -not [MdaiClara.Engine.Inference.Native.GlibcxxCompat]::HostProvides('GLIBCXX_3.4.32', $null)
        $state.IsPatched | Should -Be $hostNeedsFix
        # The fix edits the file in place and needs no shim library beside it.
        Test-Path (Join-Path $bin 'libmdaiclara_glibcxx_shim.so') | Should -BeFalse
    }

    It 'has table views for what it emits' {
        Get-FormatData -TypeName MdaiClara.Mmar | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName MdaiClara.MmarFinding | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName MdaiClara.MmarVerdict | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName MdaiClara.Volume | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName MdaiClara.MdaiOutputFinding | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName MdaiClara.InferenceResult | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName MdaiClara.MdaiPackage | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName MdaiClara.MdaiOutput | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName MdaiClara.PublishResult | Should -Not -BeNullOrEmpty
    }

    It 'removes cleanly' {
        $script = "Import-Module '$ModuleManifest'; `$null = Test-Mmar '$SampleMmar' -Deep; Remove-Module MdaiClara; 'removed'"
        $out = & dotnet $PwshDll -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        $out | Should -Contain 'removed'
    }
}

Describe 'Help for <Name>' -ForEach $Cmdlets {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
    }

    It 'has a synopsis and a description' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match '^\s*Get-|^\s*Test-'
        ($Help.Description.Text -join ' ') | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example with code and remarks' {
        @($Help.Examples.Example).Count | Should -BeGreaterThan 0
        foreach ($example in $Help.Examples.Example) {
            $example.Code | Should -Not -BeNullOrEmpty
            ($example.Remarks.Text -join ' ') | Should -Not -BeNullOrEmpty
        }
    }

    It 'describes every parameter' {
        $common = [System.Management.Automation.Internal.CommonParameters].GetProperties().Name +
            [System.Management.Automation.Internal.ShouldProcessParameters].GetProperties().Name
        foreach ($parameter in $Command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $entry = $Help.Parameters.Parameter | Where-Object Name -eq $parameter
            $entry | Should -Not -BeNullOrEmpty -Because "-$parameter needs help"
            ($entry.Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }
}
