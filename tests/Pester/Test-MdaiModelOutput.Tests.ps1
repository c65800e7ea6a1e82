BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    function New-Output {
        # A valid ANNOTATION output as an ordered hashtable; -Extra adds or replaces keys.
        param([hashtable] $Extra = @{})
        $o = [ordered]@{ type = 'ANNOTATION'; study_uid = '1.2.3'; series_uid = '1.2.3.4'; instance_uid = '1.2.3.4.5'; class_index = 0 }
        foreach ($k in $Extra.Keys) { $o[$k] = $Extra[$k] }
        $o
    }

    function Write-Json([string] $Name, [string] $Text) {
        $path = Join-Path $TestDrive $Name
        Set-Content -LiteralPath $path -Value $Text -NoNewline
        $path
    }
}

Describe 'Test-MdaiModelOutput' {
    Context 'PowerShell values' {
        It 'checks a piped list as one list and returns one result' {
            $outputs = @(
                [ordered]@{ type = 'NONE'; study_uid = '1.2.3' }
                (New-Output @{ data = @{ mask = @(@(0, 1), @(1, 0)) } })
            )
            $result = @($outputs | Test-MdaiModelOutput)
            $result.Count | Should -Be 1
            $result[0] | Should -BeTrue
        }

        It 'takes the list as an argument too' {
            Test-MdaiModelOutput -InputObject @((New-Output), (New-Output @{ class_index = 'one' })) | Should -BeFalse
            Test-MdaiModelOutput @((New-Output)) | Should -BeTrue
        }

        It 'collects piped items into one list: the second element is the bad one' {
            $findings = @((New-Output), (New-Output @{ frame_number = 'x' })) | Test-MdaiModelOutput -Detailed
            @($findings).Count | Should -Be 1
            $findings.Location | Should -Be '[1].frame_number'
        }

        It 'keeps Python typing: [int] is int, [double] is float, $true is bool' {
            Test-MdaiModelOutput @((New-Output @{ probability = 0.75; frame_number = 3 })) | Should -BeTrue
            $f = Test-MdaiModelOutput @((New-Output @{ probability = 1; class_index = 1.0; frame_number = $true })) -Detailed
            @($f.Location | Sort-Object) | Should -Be @('[0].class_index', '[0].frame_number', '[0].probability')
            ($f | Where-Object Location -eq '[0].class_index').MdaiMessage | Should -Be "Incorrect type for key class_index in model output. Expected <class 'int'>, got 1.0"
            ($f | Where-Object Location -eq '[0].frame_number').Message | Should -Match 'bool'
        }

        It 'reads PSCustomObjects, nested ones included' {
            $o = [pscustomobject]@{ type = 'ANNOTATION'; study_uid = '1'; class_index = 0; data = [pscustomobject]@{ mask = @(@(0, 1), @(1, 0)) } }
            $o | Test-MdaiModelOutput | Should -BeTrue
            # A one-row mask needs the comma: @(@(...)) is flattened by PowerShell into one row.
            $bad = [pscustomobject]@{ type = 'ANNOTATION'; study_uid = '1'; class_index = 0; data = [pscustomobject]@{ mask = @(, @($true, $false)) } }
            $f = $bad | Test-MdaiModelOutput -Detailed
            $f.RuleId | Should -Be 'MaskInvalid'
            $f.Location | Should -Be '[0].data.mask[0][0]'
        }

        It 'reads what ConvertFrom-Json -AsHashtable makes, int and float kept apart' {
            $outputs = '[{"type": "ANNOTATION", "study_uid": "1", "class_index": 2, "probability": 0.5}]' | ConvertFrom-Json -AsHashtable -NoEnumerate
            Test-MdaiModelOutput -InputObject $outputs | Should -BeTrue
        }

        It 'says a single output dict is not a list, unless it is piped (then it is a list of one)' {
            $f = Test-MdaiModelOutput -InputObject (New-Output) -Detailed
            $f.RuleId | Should -Be 'OutputNotList'
            $f.MdaiMessage | Should -Be "Expected list, got <class 'dict'>"
            New-Output | Test-MdaiModelOutput | Should -BeTrue
        }

        It 'takes an empty pipeline as an empty list and $null as None' {
            @() | Test-MdaiModelOutput | Should -BeTrue
            (Test-MdaiModelOutput -InputObject $null -Detailed).RuleId | Should -Be 'OutputNotList'
            ($null | Test-MdaiModelOutput -Detailed).RuleId | Should -Be 'OutputNotDict'
        }

        It 'refuses a value with no Python counterpart, naming where it is' {
            $outputs = @((New-Output @{ note = (Get-Item $TestDrive) }))
            $result = Test-MdaiModelOutput -InputObject $outputs -ErrorVariable errors -ErrorAction SilentlyContinue
            $result | Should -BeNullOrEmpty
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'MdaiOutputValueUnsupported,*'
            $errors[0].ToString() | Should -Match '\[0\]\.note'
        }
    }

    Context 'JSON' {
        It 'checks a JSON file with -Path and -LiteralPath' {
            $good = Write-Json 'good.json' '[{"type": "NONE", "study_uid": "1.2.3"}]'
            Test-MdaiModelOutput -Path $good | Should -BeTrue
            Test-MdaiModelOutput -LiteralPath $good | Should -BeTrue
        }

        It 'gives one result per file, wildcards expanded, and findings name their file' {
            $null = Write-Json 'many-a.json' '[{"type": "NONE", "study_uid": "1"}]'
            $bad = Write-Json 'many-b.json' '[{"type": "NONE", "study_uid": 1}]'
            @(Test-MdaiModelOutput -Path (Join-Path $TestDrive 'many-*.json')) | Should -Be @($true, $false)
            $f = Test-MdaiModelOutput -Path (Join-Path $TestDrive 'many-*.json') -Detailed
            $f.Source | Should -Be $bad
            $f.PSObject.TypeNames[0] | Should -Be 'MdaiClara.MdaiOutputFinding'
        }

        It 'takes files from Get-ChildItem, piped or as -InputObject, one result per file' {
            $null = Write-Json 'piped-a.json' '[{"type": "NONE", "study_uid": "1"}]'
            $null = Write-Json 'piped-b.json' '[{"type": "NONE", "study_uid": 1}]'
            @(Get-ChildItem -LiteralPath $TestDrive -Filter 'piped-*.json' | Sort-Object Name | Test-MdaiModelOutput) | Should -Be @($true, $false)
            Test-MdaiModelOutput -InputObject (Get-Item -LiteralPath (Join-Path $TestDrive 'piped-a.json')) | Should -BeTrue
            (Get-Item -LiteralPath (Join-Path $TestDrive 'piped-b.json') | Test-MdaiModelOutput -Detailed).Source | Should -Be (Join-Path $TestDrive 'piped-b.json')
        }

        It 'shows findings in a table with their location' {
            $path = Write-Json 'table.json' '[{"type": "ANNOTATION", "study_uid": "1", "class_index": 0, "data": {"mask": [0, 1]}}]'
            $table = Test-MdaiModelOutput -Path $path -Detailed | Format-Table | Out-String -Width 200
            $table | Should -Match 'MaskInvalid'
            $table | Should -Match '\[0\]\.data\.mask\[0\]'
            $table | Should -Match 'Location'
        }

        It 'reads JSON text, piped whole or as lines' {
            '[{"type": "NONE", "study_uid": "1"}]' | Test-MdaiModelOutput | Should -BeTrue
            $path = Write-Json 'lines.json' "[`n  {`"type`": `"NONE`",`n   `"study_uid`": 5}`n]"
            Get-Content $path | Test-MdaiModelOutput | Should -BeFalse
            Get-Content $path -Raw | Test-MdaiModelOutput | Should -BeFalse
        }

        It 'reads Python float literals: 1.0 is float, 1 is int, NaN is accepted' {
            $path = Write-Json 'floats.json' '[{"type": "ANNOTATION", "study_uid": "1", "class_index": 1.0, "probability": NaN}]'
            $f = Test-MdaiModelOutput -Path $path -Detailed
            @($f).Count | Should -Be 1
            $f.Location | Should -Be '[0].class_index'
        }

        It 'reports a file that is not JSON with its line and column and goes on with the next' {
            $bad = Write-Json 'bad.json' "[`n  {`"type`": `"NONE`"`n   `"study_uid`": `"1`"}`n]"
            $good = Write-Json 'fine.json' '[]'
            $results = Test-MdaiModelOutput -LiteralPath $bad, $good -ErrorVariable errors -ErrorAction SilentlyContinue
            @($results) | Should -Be @($true)
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'MdaiOutputJsonInvalid,*'
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $errors[0].ToString() | Should -Match 'line 3, column 4'
            $errors[0].ToString() | Should -Match ([regex]::Escape($bad))
        }

        It 'reports a missing file' {
            $null = Test-MdaiModelOutput -LiteralPath (Join-Path $TestDrive 'none.json') -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'MdaiOutputNotFound,*'
        }
    }

    Context '-Detailed, -Strict and -InstanceSize' {
        It 'lists every problem in MD.ai''s order, the first with MD.ai''s answer' {
            $o = [ordered]@{ foo = 1; type = 'NONE'; study_uid = $null; note = @{ extra = 'x' } }
            $f = Test-MdaiModelOutput -InputObject @($o) -Detailed
            @($f.RuleId) | Should -Be @('KeyNotAllowed', 'ValueTypeInvalid', 'NoteInvalid')
            $f[0].MdaiMessage | Should -Be "'foo'"
            @($f | Where-Object Severity -ne 'Error') | Should -BeNullOrEmpty
        }

        It 'says in -Verbose what MD.ai''s server would answer' {
            $verbose = Test-MdaiModelOutput -InputObject @((New-Output @{ class_index = 1.5 })) -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            "$verbose" | Should -Match 'Invalid data format returned by model: Incorrect type for key class_index'
        }

        It 'checks every mask value only with -Strict, as warnings that keep the result $true' {
            $outputs = @((New-Output @{ data = @{ mask = @(@(0, 1), @(1), @(0, 'x')) } }))
            Test-MdaiModelOutput -InputObject $outputs -Detailed | Should -BeNullOrEmpty
            $f = Test-MdaiModelOutput -InputObject $outputs -Detailed -Strict
            @($f.RuleId | Sort-Object -Unique) | Should -Be @('MaskElementsInvalid')
            @($f.Severity | Sort-Object -Unique) | Should -Be @('Warning')
            @($f.Location) | Should -Be @('[0].data.mask[1]', '[0].data.mask[2][1]')
            Test-MdaiModelOutput -InputObject $outputs -Strict | Should -BeTrue
        }

        It 'checks masks against the instances'' Rows × Columns' {
            $outputs = @((New-Output @{ data = @{ mask = @(@(0, 1, 0), @(1, 1, 0)) } }))
            Test-MdaiModelOutput -InputObject $outputs -InstanceSize @{ '1.2.3.4.5' = 2, 3 } -Detailed | Should -BeNullOrEmpty
            $f = Test-MdaiModelOutput -InputObject $outputs -InstanceSize @{ '1.2.3.4.5' = [pscustomobject]@{ Rows = 3; Columns = 2 } } -Detailed
            $f.RuleId | Should -Be 'MaskSizeMismatch'
            $f.Message | Should -Match 'transposed'
        }

        It 'refuses an -InstanceSize that is not Rows, Columns' {
            { Test-MdaiModelOutput -InputObject @() -InstanceSize @{ '1' = 'big' } } | Should -Throw -ErrorId 'InstanceSizeInvalid,*'
        }
    }
}
