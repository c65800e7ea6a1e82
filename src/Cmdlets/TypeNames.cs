using System.Management.Automation;

namespace MdaiClara.Cmdlets;

/// <summary>The PowerShell type names of emitted objects; the format file keys its views on these.</summary>
internal static class TypeNames
{
    public const string Mmar = "MdaiClara.Mmar";
    public const string MmarFinding = "MdaiClara.MmarFinding";
    public const string MmarVerdict = "MdaiClara.MmarVerdict";
    public const string Volume = "MdaiClara.Volume";
    public const string InferenceResult = "MdaiClara.InferenceResult";
    public const string MdaiOutput = "MdaiClara.MdaiOutput";
    public const string MdaiPackage = "MdaiClara.MdaiPackage";
    public const string MdaiBundlePackage = "MdaiClara.MdaiBundlePackage";
    public const string PublishResult = "MdaiClara.PublishResult";
    public const string MdaiOutputFinding = "MdaiClara.MdaiOutputFinding";
    public const string MmarRepair = "MdaiClara.MmarRepair";
    public const string MdaiAnnotation = "MdaiClara.MdaiAnnotation";
    public const string MdaiImportAnnotation = "MdaiClara.MdaiImportAnnotation";
    public const string ValidationCase = "MdaiClara.ValidationCase";
    public const string ValidationSummary = "MdaiClara.ValidationSummary";
    public const string DicomConnection = "MdaiClara.DicomConnection";
    public const string DicomStudy = "MdaiClara.DicomStudy";
    public const string DicomSeries = "MdaiClara.DicomSeries";
    public const string DicomSeriesReceipt = "MdaiClara.DicomSeriesReceipt";
    public const string DicomStoreResult = "MdaiClara.DicomStoreResult";
    public const string DicomSeg = "MdaiClara.DicomSeg";
    public const string DimseEchoResult = "MdaiClara.DimseEchoResult";
    public const string MonaiBundle = "MdaiClara.MonaiBundle";
    public const string BundleFinding = "MdaiClara.BundleFinding";
    public const string DicomReceiver = "MdaiClara.DicomReceiver";
    public const string DicomReceivedSeries = "MdaiClara.DicomReceivedSeries";

    public static PSObject Tag(object value, string typeName)
    {
        var wrapped = PSObject.AsPSObject(value);
        wrapped.TypeNames.Insert(0, typeName);
        return wrapped;
    }
}
