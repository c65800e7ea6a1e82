@{
    RootModule           = 'bin/MdaiClara.Cmdlets.dll'
    ModuleVersion        = '{{ModuleVersion}}'
    GUID                 = '6f1d3c2a-8b4e-4d7a-9c51-2e0f7a9b3d64'
    Author               = 'MdaiClara contributors'
    CompanyName          = 'MdaiClara'
    Copyright            = '(c) MdaiClara contributors. MIT License.'
    Description          = 'Opens NVIDIA Clara Train model archives (MMARs), validates them, runs their inference locally (TorchSharp), measures them against ground truth, and turns them into MD.ai deployment packages, MD.ai results and annotations, DICOM SEG objects and PACS traffic (DICOMweb).'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('MdaiClara.Format.ps1xml')
    TypesToProcess       = @('MdaiClara.Types.ps1xml')
    CmdletsToExport      = @(
        'ConvertTo-MdaiAnnotation'
        'Export-DicomSeg'
        'Export-MedicalImage'
        'Find-DicomSeries'
        'Find-DicomStudy'
        'Get-DicomConnection'
        'Get-DicomReceiver'
        'Get-Mmar'
        'Get-MonaiBundle'
        'Import-MdaiAnnotation'
        'Import-MedicalImage'
        'Invoke-ClaraInference'
        'Measure-ClaraModel'
        'New-DicomConnection'
        'New-DicomWebConnection'
        'New-MdaiModelPackage'
        'Publish-MdaiModel'
        'Receive-DicomSeries'
        'Remove-DicomConnection'
        'Repair-Mmar'
        'Send-DicomInstance'
        'Start-DicomReceiver'
        'Stop-DicomReceiver'
        'Test-DicomConnection'
        'Test-MdaiModelOutput'
        'Test-Mmar'
        'Test-MonaiBundle'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Clara', 'MMAR', 'MONAI', 'MDai', 'TorchScript', 'TorchSharp', 'MedicalImaging', 'DICOM', 'NIfTI', 'Linux')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/MdaiClara/MdaiClara'
            ReleaseNotes = @'
0.1.0
- Get-Mmar and Test-Mmar open and check Clara Train 4.x MMARs (folders and zips); a MONAI bundle is named as one (bundles come in a later version). Test-Mmar -PassThru says which verdict is whose in a pipeline; Test-Mmar is $false exactly when packaging or inference would refuse the MMAR.
- Repair-Mmar writes a repaired copy of an MMAR (standard commands/infer.sh and set_env.sh, OUTPUT_CHANNELS/INFER_DATALIST_KEY/DATASET_JSON, Clara 4.0 inference configs migrated to Clara 4.1).
- Import-MedicalImage and Export-MedicalImage: NIfTI and DICOM series as geometry-aware volumes, showing PatientID, StudyDate, SeriesNumber and SeriesDescription.
- Invoke-ClaraInference runs an MMAR's own pipeline with MONAI 0.8.1 semantics on the CPU or a GPU; -NameTemplate names DICOM results by header fields (SeriesInstanceUID by default).
- New-MdaiModelPackage and Publish-MdaiModel write and check MD.ai deployment packages carrying only what inference needs (-Include/-Exclude for the rest; what was left out is listed with its reason); Test-MdaiModelOutput applies MD.ai's output rules.
- Every cmdlet writes files the same way: missing folders are created when the first file is written (never under -WhatIf), and existing files are replaced only with -Force.
- Help: every example runs as written (tested); Get-Help about_MdaiClara.
- Get-MonaiBundle and Test-MonaiBundle open and check MONAI bundles (folders and zips): metadata, the inference config resolved as MONAI's ConfigParser does (references, macros, an allow-list for "$" expressions, never running Python), every derived value with its file:line:column; -Deep runs one forward pass with the declared input shape.
'@
        }
    }
}
