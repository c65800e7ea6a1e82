using System.Collections.Generic;

namespace MdaiClara.Engine.Networking.Dimse.Pdus;

/// <summary>A-ASSOCIATE-RQ (PS3.8 9.3.2).</summary>
public sealed record AssociateRequest(string CalledAE, string CallingAE, string ApplicationContext,
    IReadOnlyList<PresentationContext> PresentationContexts, UserInformation UserInformation) : IPdu
{
    /// <summary>The DICOM Application Context Name, the only one defined (PS3.7 A.2.1).</summary>
    public const string DicomApplicationContext = "1.2.840.10008.3.1.1.1";
}

/// <summary>A-ASSOCIATE-AC (PS3.8 9.3.3): the called and calling AE are echoed back as the requestor sent them.</summary>
public sealed record AssociateAccept(string CalledAE, string CallingAE, string ApplicationContext,
    IReadOnlyList<PresentationContextResult> PresentationContexts, UserInformation UserInformation) : IPdu;
