# Issue 8's bad inputs (found by a fuzz probe and a trial), as a user meets them through the cmdlets: each gives a
# specific ErrorId and a message that names the file and what is wrong; none is "UnexpectedFailure", a raw .NET
# exception name, a hang or an out-of-memory.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Phantom = Join-Path $RepoRoot 'samples/phantom'

    function New-CorruptZip {
        # The sample MMAR zipped, with its central directory's offset (in the end record) set to 0.
        param([string] $Name)
        $zip = Join-Path $TestDrive $Name
        Compress-Archive -Path $SampleMmar -DestinationPath $zip -Force
        $bytes = [IO.File]::ReadAllBytes($zip)
        for ($i = $bytes.Length - 22; $i -ge 0; $i--) {
            if ($bytes[$i] -eq 0x50 -and $bytes[$i + 1] -eq 0x4B -and $bytes[$i + 2] -eq 5 -and $bytes[$i + 3] -eq 6) { break }
        }
        [BitConverter]::GetBytes([uint32]0).CopyTo($bytes, $i + 16)
        [IO.File]::WriteAllBytes($zip, $bytes)
        $zip
    }
}

Describe 'A zipped MMAR with a damaged central directory' {
    It 'is MmarZipCorrupt for Get-Mmar, naming the zip and the central directory' {
        $zip = New-CorruptZip 'cd0.zip'
        $null = Get-Mmar $zip -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'MmarZipCorrupt,*'
        "$($errors[0].CategoryInfo.Category)" | Should -Be 'InvalidData'
        $errors[0].ToString() | Should -Match 'cd0\.zip'
        $errors[0].ToString() | Should -Match 'central directory'
        $errors[0].ToString() | Should -Not -Match 'defect in MdaiClara'
    }

    It 'is MmarZipCorrupt for Test-Mmar' {
        $zip = New-CorruptZip 'cd0-test.zip'
        $null = Test-Mmar $zip -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'MmarZipCorrupt,*'
    }

    It 'stops Invoke-ClaraInference with MmarZipCorrupt, not the exception type' {
        $zip = New-CorruptZip 'cd0-infer.zip'
        { Invoke-ClaraInference -Mmar $zip -Path (Join-Path $Phantom 'phantom_ct.nii.gz') -Device Cpu } |
            Should -Throw -ErrorId 'MmarZipCorrupt,MdaiClara.Cmdlets.Commands.InvokeClaraInferenceCommand'
    }
}

Describe 'An environment.json whose variables expand exponentially' {
    It 'is refused at once, naming the variable, instead of hanging' {
        $copy = New-SampleCopy 'exploding'
        $envFile = Join-Path $copy 'config/environment.json'
        $json = Get-Content $envFile -Raw | ConvertFrom-Json -AsHashtable
        $json['L0'] = 'ab'
        foreach ($level in 1..5) { $json["L$level"] = "{L$($level - 1)}" * 40 }
        $json['MMAR_CKPT_DIR'] = '{L5}'
        $json['MMAR_TORCHSCRIPT'] = '{MMAR_CKPT_DIR}/model.ts'
        $json | ConvertTo-Json | Set-Content $envFile
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $null = Get-Mmar $copy -ErrorVariable errors -ErrorAction SilentlyContinue
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'MmarVariableExpansionTooLarge,*'
        $errors[0].ToString() | Should -Match '\{L5\} → \{L4\}'
    }
}

Describe 'Inputs that are missing or of the wrong kind' {
    It 'says a missing .nii.gz does not exist (Import-MedicalImage)' {
        $missing = Join-Path $TestDrive 'nothing-here.nii.gz'
        $null = Import-MedicalImage -LiteralPath $missing -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InputNotFound,*'
        "$($errors[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        $errors[0].ToString() | Should -Match 'nothing-here\.nii\.gz'
    }

    It 'says a missing .nii.gz does not exist (Invoke-ClaraInference)' {
        $missing = Join-Path $TestDrive 'absent.nii.gz'
        $null = Invoke-ClaraInference -Mmar $SampleMmar -Path $missing -Device Cpu -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InputNotFound,*'
        $errors[0].FullyQualifiedErrorId | Should -Not -BeLike 'DicomNoImages,*'
    }

    It 'names a PNG given to the 3-D sample model and says it needs a 3-D volume' {
        Add-Type -AssemblyName System.IO.Compression
        $png = Join-Path $TestDrive 'radiograph.png'
        # A valid 4×3 8-bit greyscale PNG (IHDR, IDAT, IEND), written by Python's zlib/struct.
        & /usr/bin/python3 -c @'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
raw = b"".join(b"\0" + bytes(range(r * 4, r * 4 + 4)) for r in range(3))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
'@ $png
        $LASTEXITCODE | Should -Be 0
        $null = Invoke-ClaraInference -Mmar $SampleMmar -Path $png -Device Cpu -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InputRankMismatch,*'
        $errors[0].ToString() | Should -Match 'radiograph\.png is a 2-D image \(4×3\), but this model needs a 3-D volume'
    }

    It 'explains a PNG whose chunk runs past the end of the file' {
        $png = Join-Path $TestDrive 'cut.png'
        [byte[]] $bytes = 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x7F, 0, 0, 0, 0x49, 0x48, 0x44, 0x52, 1, 2, 3
        [IO.File]::WriteAllBytes($png, $bytes)
        $null = Invoke-ClaraInference -Mmar $SampleMmar -Path $png -Device Cpu -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'PictureInvalid,*'
        $errors[0].ToString() | Should -Match 'cut\.png is not a readable PNG: the file ends inside|cut\.png is not a readable PNG: the IHDR chunk at byte 8 declares'
        $errors[0].ToString() | Should -Not -Match 'Invalid argument'
    }
}
