using System;
using System.Collections.Generic;

namespace MdaiClara.Engine.Networking.Dimse.Storage;

/// <summary>
/// The storage SOP classes (PS3.4 B.5) in one place: the common ones a C-GET proposes storage contexts for (one
/// presentation context each, so the list stays well under the 128 an association allows), and the rule our storage
/// SCP accepts by (any standard storage SOP class: the instances are kept as their bytes, whatever the class).
/// </summary>
public static class StorageSopClasses
{
    /// <summary>The UID root of every standard storage SOP class (query/retrieve classes are under …1.2, not here).</summary>
    public const string StorageRoot = "1.2.840.10008.5.1.4.1.1.";

    /// <summary>The common storage SOP classes: CT, MR, PET, NM, CR, DX, MG, US, XA, SC, SEG, RT, SR, PR, KO, PDF…</summary>
    public static IReadOnlyList<(string Uid, string Name)> Common { get; } =
    [
        ("1.2.840.10008.5.1.4.1.1.2", "CT Image"),
        ("1.2.840.10008.5.1.4.1.1.2.1", "Enhanced CT Image"),
        ("1.2.840.10008.5.1.4.1.1.4", "MR Image"),
        ("1.2.840.10008.5.1.4.1.1.4.1", "Enhanced MR Image"),
        ("1.2.840.10008.5.1.4.1.1.128", "Positron Emission Tomography Image"),
        ("1.2.840.10008.5.1.4.1.1.130", "Enhanced PET Image"),
        ("1.2.840.10008.5.1.4.1.1.20", "Nuclear Medicine Image"),
        ("1.2.840.10008.5.1.4.1.1.1", "Computed Radiography Image"),
        ("1.2.840.10008.5.1.4.1.1.1.1", "Digital X-Ray Image - For Presentation"),
        ("1.2.840.10008.5.1.4.1.1.1.1.1", "Digital X-Ray Image - For Processing"),
        ("1.2.840.10008.5.1.4.1.1.1.2", "Digital Mammography X-Ray Image - For Presentation"),
        ("1.2.840.10008.5.1.4.1.1.1.2.1", "Digital Mammography X-Ray Image - For Processing"),
        ("1.2.840.10008.5.1.4.1.1.13.1.3", "Breast Tomosynthesis Image"),
        ("1.2.840.10008.5.1.4.1.1.6.1", "Ultrasound Image"),
        ("1.2.840.10008.5.1.4.1.1.3.1", "Ultrasound Multi-frame Image"),
        ("1.2.840.10008.5.1.4.1.1.12.1", "X-Ray Angiographic Image"),
        ("1.2.840.10008.5.1.4.1.1.12.2", "X-Ray Radiofluoroscopic Image"),
        ("1.2.840.10008.5.1.4.1.1.7", "Secondary Capture Image"),
        ("1.2.840.10008.5.1.4.1.1.7.2", "Multi-frame Grayscale Byte Secondary Capture Image"),
        ("1.2.840.10008.5.1.4.1.1.7.3", "Multi-frame Grayscale Word Secondary Capture Image"),
        ("1.2.840.10008.5.1.4.1.1.7.4", "Multi-frame True Color Secondary Capture Image"),
        ("1.2.840.10008.5.1.4.1.1.66.4", "Segmentation"),
        ("1.2.840.10008.5.1.4.1.1.66.1", "Spatial Registration"),
        ("1.2.840.10008.5.1.4.1.1.66", "Raw Data"),
        ("1.2.840.10008.5.1.4.1.1.30", "Parametric Map"),
        ("1.2.840.10008.5.1.4.1.1.481.1", "RT Image"),
        ("1.2.840.10008.5.1.4.1.1.481.2", "RT Dose"),
        ("1.2.840.10008.5.1.4.1.1.481.3", "RT Structure Set"),
        ("1.2.840.10008.5.1.4.1.1.481.5", "RT Plan"),
        ("1.2.840.10008.5.1.4.1.1.88.11", "Basic Text SR"),
        ("1.2.840.10008.5.1.4.1.1.88.22", "Enhanced SR"),
        ("1.2.840.10008.5.1.4.1.1.88.33", "Comprehensive SR"),
        ("1.2.840.10008.5.1.4.1.1.88.59", "Key Object Selection Document"),
        ("1.2.840.10008.5.1.4.1.1.11.1", "Grayscale Softcopy Presentation State"),
        ("1.2.840.10008.5.1.4.1.1.104.1", "Encapsulated PDF"),
        ("1.2.840.10008.5.1.4.1.1.77.1.4", "VL Photographic Image"),
    ];

    /// <summary>Whether our storage SCP takes instances of this SOP class: any standard storage SOP class.</summary>
    public static bool IsStorage(string sopClassUid) =>
        sopClassUid.StartsWith(StorageRoot, StringComparison.Ordinal) && sopClassUid.Length > StorageRoot.Length;
}
