namespace MdaiClara.Engine.Imaging.Dicom.Writing;

/// <summary>Who wrote a file: the File Meta Information's implementation identity of MdaiClara's DICOM writer.</summary>
public static class DicomImplementation
{
    /// <summary>Implementation Class UID (0002,0012): a UUID-derived UID (PS3.5 B.2) made once for MdaiClara.</summary>
    public const string ClassUid = "2.25.32676971264232218265722464024063331516";

    /// <summary>Implementation Version Name (0002,0013), at most 16 characters.</summary>
    public static string VersionName => ("MDAICLARA_" + SoftwareVersion) is { Length: <= 16 } name ? name : "MDAICLARA";

    /// <summary>The engine's version (the module's), as Software Versions (0018,1020) states it.</summary>
    public static string SoftwareVersion
    {
        get
        {
            var version = typeof(DicomImplementation).Assembly.GetName().Version;
            return version is null ? "0" : $"{version.Major}.{version.Minor}.{version.Build}";
        }
    }

    /// <summary>Manufacturer (0008,0070) of the objects MdaiClara makes.</summary>
    public const string Manufacturer = "MdaiClara";
}
