BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    function New-BrokenMmar {
        # The sample without its command scripts and without the keys MD.ai's interface reads (OUTPUT_CHANNELS is
        # derivable from the dataset's labels, INFER_DATALIST_KEY from the config's dataset).
        param([string] $Name = 'broken')
        $m = New-SampleCopy $Name
        Remove-Item "$m/commands/infer.sh", "$m/commands/set_env.sh"
        Set-JsonValue "$m/config/environment.json" OUTPUT_CHANNELS -Remove
        Set-JsonValue "$m/config/environment.json" INFER_DATALIST_KEY -Remove
        Set-JsonValue "$m/config/config_inference.json" dataset @{
            name = 'Dataset'; data_list_file_path = '{DATASET_JSON}'; data_file_base_dir = '{DATA_ROOT}'; data_list_key = 'test'; args = @{ transform = '@pre_transforms' }
        }
        $m
    }

    function Get-TreeHash {
        param([string] $Path)
        (Get-ChildItem -LiteralPath $Path -Recurse -File -Force | Sort-Object FullName | ForEach-Object {
            '{0} {1}' -f $_.FullName.Substring($Path.Length), (Get-FileHash -LiteralPath $_.FullName).Hash
        }) -join "`n"
    }
}

Describe 'Repair-Mmar' {
    It 'writes nothing under -WhatIf' {
        $m = New-BrokenMmar
        $before = Get-TreeHash $m
        $target = Join-Path $TestDrive 'whatif'

        $result = Repair-Mmar $m -Destination $target -WhatIf

        $result | Should -BeNullOrEmpty
        Test-Path -LiteralPath $target | Should -BeFalse
        Get-TreeHash $m | Should -Be $before
        @(Get-ChildItem -LiteralPath $TestDrive -Force -Filter '.*') | Should -BeNullOrEmpty
    }

    It 'writes a repaired copy with -Destination that Test-Mmar passes, and leaves the MMAR as it was' {
        $m = New-BrokenMmar
        $before = Get-TreeHash $m
        Test-Mmar $m | Should -BeFalse
        $target = Join-Path $TestDrive 'repaired'

        $r = Repair-Mmar $m -Destination $target

        Get-TreeHash $m | Should -Be $before
        Test-Mmar $target | Should -BeTrue
        $r.Destination | Should -Be $target
        $r.InPlace | Should -BeFalse
        $r.Complete | Should -BeTrue
        @($r.Changes | Where-Object { $_.File -eq 'commands/infer.sh' -and $_.Kind -eq 'Added' }).Count | Should -Be 1
        @($r.Changes | Where-Object { $_.File -eq 'commands/set_env.sh' -and $_.Kind -eq 'Added' }).Count | Should -Be 1
        @($r.Changes | Where-Object { $_.What -like '"OUTPUT_CHANNELS": 3*' }).Count | Should -Be 1
        @($r.Changes | Where-Object { $_.What -like '"INFER_DATALIST_KEY": "test"*' }).Count | Should -Be 1
        $env = Get-Content "$target/config/environment.json" -Raw | ConvertFrom-Json
        $env.OUTPUT_CHANNELS | Should -Be 3
        $env.INFER_DATALIST_KEY | Should -Be 'test'
        Get-Content "$target/commands/infer.sh" -Raw | Should -Match 'CONFIG_FILE=config/config_inference\.json'
    }

    It 'emits an MdaiClara.MmarRepair record whose default view lists every change with its reason' {
        $m = New-BrokenMmar
        $r = Repair-Mmar $m -Destination (Join-Path $TestDrive 'viewed')

        $r.PSObject.TypeNames[0] | Should -Be 'MdaiClara.MmarRepair'
        $r.Changes[0].GetType().FullName | Should -Be 'MdaiClara.Engine.Mmar.Repair.MmarChange'
        $view = $r | Out-String -Width 300
        $view | Should -Match 'Destination\s+:'
        $view | Should -Match 'Added\s+commands/infer\.sh: infer\.sh running medl\.apps\.evaluate'
        $table = $r.Changes | Format-Table | Out-String -Width 300
        $table | Should -Match 'Kind\s+Location\s+What\s+Why'

        $nothing = Repair-Mmar $SampleMmar -Destination (Join-Path $TestDrive 'plain-copy')
        ($nothing | Out-String -Width 300) | Should -Match 'Changes\s+: none: nothing to repair'
    }

    It 'takes an MMAR from Get-Mmar on the pipeline, and a zip' {
        $m = New-BrokenMmar
        $zip = Join-Path $TestDrive 'broken.zip'
        Compress-Archive -Path "$m/*" -DestinationPath $zip

        $fromPipeline = Get-Mmar $m | Repair-Mmar -Destination (Join-Path $TestDrive 'piped')
        $fromZip = Repair-Mmar $zip -Destination (Join-Path $TestDrive 'unzipped')
        $fromItem = Get-Item -LiteralPath $m | Repair-Mmar -Destination (Join-Path $TestDrive 'item')

        $fromPipeline.Source | Should -Be $m
        $fromZip.Source | Should -Be $zip
        $fromItem.Source | Should -Be $m
        Test-Mmar (Join-Path $TestDrive 'piped') | Should -BeTrue
        Test-Mmar (Join-Path $TestDrive 'unzipped') | Should -BeTrue
        Test-Mmar (Join-Path $TestDrive 'item') | Should -BeTrue
    }

    It 'repairs the MMAR itself only with -InPlace' {
        $m = New-BrokenMmar 'inplace'

        $r = Repair-Mmar $m -InPlace -Confirm:$false

        $r.InPlace | Should -BeTrue
        $r.Destination | Should -Be $m
        Test-Mmar $m | Should -BeTrue
        @(Get-ChildItem -LiteralPath $TestDrive -Force -Filter '.*') | Should -BeNullOrEmpty
    }

    It 'refuses an existing destination unless -Force, and says how to replace it' {
        $m = New-BrokenMmar
        $target = Join-Path $TestDrive 'taken'
        $null = New-Item -ItemType Directory $target
        Set-Content "$target/keep.txt" 'mine'

        Repair-Mmar $m -Destination $target -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed[0].FullyQualifiedErrorId | Should -BeLike 'MmarRepairDestinationExists,*'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        Test-Path "$target/keep.txt" | Should -BeTrue

        $r = Repair-Mmar $m -Destination $target -Force
        Test-Path "$target/keep.txt" | Should -BeFalse
        $r.Complete | Should -BeTrue
    }

    It 'refuses the MMAR itself as the destination and points at -InPlace' {
        $m = New-BrokenMmar
        $before = Get-TreeHash $m

        Repair-Mmar $m -Destination $m -Force -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed[0].FullyQualifiedErrorId | Should -BeLike 'MmarRepairDestinationInvalid,*'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match '-InPlace'
        Get-TreeHash $m | Should -Be $before
    }
}

Describe 'Test-Mmar remedies' {
    It 'names Repair-Mmar where the repair fixes the finding' {
        $m = New-BrokenMmar
        $findings = Test-Mmar $m -Detailed

        $missing = $findings | Where-Object { $_.RuleId -eq 'RequiredFile' -and $_.Message -like 'commands/infer.sh is missing*' }
        $missing.Remedy | Should -Match '^Repair-Mmar fixes this'
        $missing.Remedy | Should -Match '-Destination'
        ($findings | Where-Object RuleId -eq 'MdaiEnvironmentKeys').Remedy | Should -Match 'Repair-Mmar'
        ($findings | Format-Table | Out-String -Width 400) | Should -Match 'Repair-Mmar fixes this'
    }

    It 'offers no remedy where the repair cannot fix the finding' {
        $m = New-SampleCopy 'nomodel'
        Remove-Item "$m/models/model.ts"

        $findings = Test-Mmar $m -Detailed

        ($findings | Where-Object RuleId -eq 'TorchScriptMissing').Remedy | Should -BeNullOrEmpty
    }
}
