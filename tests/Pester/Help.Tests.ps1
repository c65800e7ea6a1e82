# What Get-Help shows besides the examples (HelpExamples.Tests.ps1 runs those): -WhatIf/-Confirm in the syntax,
# type names a reader can use, INPUTS, the about_MdaiClara topic, and the manifest's gallery data.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Cmdlets = @((Get-Module MdaiClara).ExportedCmdlets.Values | Sort-Object Name | ForEach-Object {
        @{ Name = $_.Name; ShouldProcess = $_.Parameters.ContainsKey('WhatIf') }
    })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Module = Get-Module MdaiClara
}

Describe 'Get-Help <Name> -Full' -ForEach $Cmdlets {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
        $script:Text = $Help | Out-String -Width 250
        $script:Syntax = (Get-Help $Name).Syntax | Out-String -Width 250
    }

    It 'shows -WhatIf and -Confirm in the syntax exactly when the cmdlet supports them' {
        if ($ShouldProcess) {
            $Syntax | Should -Match '\[-WhatIf\]'
            $Syntax | Should -Match '\[-Confirm\]'
            (($Help.Parameters.Parameter | Where-Object Name -eq 'WhatIf').Description.Text -join ' ') | Should -Match 'not run'
        }
        else {
            $Syntax | Should -Not -Match 'WhatIf'
        }
    }

    It 'names parameter types as a reader would write them, never Nullable`1 or a generic arity' {
        $Syntax | Should -Not -Match '`\d|Nullable'
        foreach ($parameter in $Help.Parameters.Parameter) {
            "$($parameter.Type.Name)" | Should -Not -Match '`\d|Nullable' -Because "-$($parameter.Name) has a type a reader can use"
        }
    }

    It 'fills INPUTS with what binds from the pipeline' {
        $inputs = @($Help.InputTypes.InputType)
        $inputs.Count | Should -BeGreaterThan 0
        $command = Get-Command $Name
        $piped = @($command.Parameters.Values | Where-Object { $_.Attributes | Where-Object { $_ -is [Parameter] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) } })
        if ($piped) {
            foreach ($parameter in $piped) {
                ($inputs.Description.Text -join ' ') | Should -Match "-$($parameter.Name)\b"
            }
        }
        else {
            $inputs[0].Type.Name | Should -Be 'None'
        }
    }

    It 'fills OUTPUTS with full type names' {
        foreach ($value in @($Help.ReturnValues.ReturnValue)) {
            $value.Type.Name | Should -Match '^[A-Z][\w]*(\.[\w]+)+(\[\])?$'
        }
    }
}

Describe 'about_MdaiClara' {
    It 'is a help topic of the module, and describes the output policy and name templates' {
        Test-Path (Join-Path $Module.ModuleBase 'en-US/about_MdaiClara.help.txt') | Should -BeTrue
        $about = Get-Help about_MdaiClara | Out-String
        $about | Should -Match 'about_MdaiClara'
        $about | Should -Match 'OutputFileExists'
        $about | Should -Match '-NameTemplate'
        $about | Should -Match '-PassThru'
    }

    It 'names every exported cmdlet' {
        $about = Get-Content (Join-Path $Module.ModuleBase 'en-US/about_MdaiClara.help.txt') -Raw
        foreach ($name in $Module.ExportedCmdlets.Keys) {
            $about | Should -Match ([regex]::Escape($name)) -Because "about_MdaiClara introduces $name"
        }
    }
}

Describe 'The manifest' {
    It 'has a ProjectUri, a LicenseUri and release notes for this version' {
        $Module.ProjectUri | Should -Not -BeNullOrEmpty
        $Module.ProjectUri.IsAbsoluteUri | Should -BeTrue
        $Module.LicenseUri | Should -Not -BeNullOrEmpty
        $Module.ReleaseNotes | Should -Match ([regex]::Escape($Module.Version.ToString()))
    }

    It 'loads its type data (DICOM fields, readable nested values)' {
        $Module.ExportedTypeFiles | Where-Object { $_ -like '*MdaiClara.Types.ps1xml' } | Should -Not -BeNullOrEmpty
    }
}
