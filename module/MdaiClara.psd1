@{
    RootModule           = 'bin/MdaiClara.Cmdlets.dll'
    ModuleVersion        = '{{ModuleVersion}}'
    GUID                 = '6f1d3c2a-8b4e-4d7a-9c51-2e0f7a9b3d64'
    Author               = 'MdaiClara contributors'
    CompanyName          = 'MdaiClara'
    Copyright            = '(c) MdaiClara contributors. MIT License.'
    Description          = 'Opens NVIDIA Clara Train model archives (MMARs), validates them, runs their inference locally (TorchSharp) and turns them into MD.ai deployment packages and results.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('MdaiClara.Format.ps1xml')
    CmdletsToExport      = @(
        'Export-MedicalImage'
        'Get-Mmar'
        'Import-MedicalImage'
        'Invoke-ClaraInference'
        'New-MdaiModelPackage'
        'Publish-MdaiModel'
        'Repair-Mmar'
        'Test-MdaiModelOutput'
        'Test-Mmar'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Clara', 'MMAR', 'MONAI', 'MDai', 'TorchScript', 'TorchSharp', 'MedicalImaging', 'DICOM', 'NIfTI', 'Linux')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'Get-Mmar and Test-Mmar; Import-MedicalImage and Export-MedicalImage (NIfTI, DICOM series); lazy libtorch runtime with the GLIBCXX_3.4.32 compat fix.'
        }
    }
}
