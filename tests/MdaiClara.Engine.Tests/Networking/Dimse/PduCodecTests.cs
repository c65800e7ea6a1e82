using System.IO;
using System.Linq;
using MdaiClara.Engine.Networking.Dimse.Pdus;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking.Dimse;

/// <summary>PDUs captured from DCMTK (echoscu's A-ASSOCIATE-RQ, storescp's A-ASSOCIATE-AC to it) decode to what they say and re-encode byte for byte.</summary>
public sealed class PduCodecTests
{
    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(TestPaths.Fixtures, "dimse", name));

    private static IPdu Read(byte[] bytes) => new PduStream(new MemoryStream(bytes), "test-peer", System.TimeSpan.FromSeconds(1)).Read("reading");

    [Fact]
    public void EchoscuAssociateRequestDecodesAndReencodesByteForByteBarItsReservedByte()
    {
        var bytes = Fixture("echoscu-associate-rq.bin");
        var rq = Assert.IsType<AssociateRequest>(Read(bytes));
        Assert.Equal("ANY-SCP", rq.CalledAE);
        Assert.Equal("ECHOSCU", rq.CallingAE);
        Assert.Equal(AssociateRequest.DicomApplicationContext, rq.ApplicationContext);
        var pc = Assert.Single(rq.PresentationContexts);
        Assert.Equal(1, pc.Id);
        Assert.Equal("1.2.840.10008.1.1", pc.AbstractSyntax);
        Assert.Equal(["1.2.840.10008.1.2"], pc.TransferSyntaxes);
        Assert.Equal(16384u, rq.UserInformation.MaxPduLength);
        Assert.StartsWith("1.2.276.0.7230010.3", rq.UserInformation.ImplementationClassUid);
        Assert.StartsWith("OFFIS_DCMTK", rq.UserInformation.ImplementationVersionName);
        // DCMTK writes FFH into the reserved result byte of the proposed context (PS3.8 9.3.2.2: reserved, not tested);
        // we write 00H there, so that one byte differs.
        Assert.Equal(0xFF, bytes[105]);
        bytes[105] = 0;
        Assert.Equal(bytes, PduEncoder.Encode(rq));
    }

    [Fact]
    public void StorescpAssociateAcceptDecodesAndReencodesByteForByte()
    {
        var bytes = Fixture("storescp-associate-ac.bin");
        var ac = Assert.IsType<AssociateAccept>(Read(bytes));
        var pc = Assert.Single(ac.PresentationContexts);
        Assert.True(pc.IsAccepted);
        Assert.Equal("1.2.840.10008.1.2", pc.TransferSyntax);
        Assert.Equal(16384u, ac.UserInformation.MaxPduLength);
        Assert.Equal(bytes, PduEncoder.Encode(ac));
    }

    [Fact]
    public void RoleSelectionAndRejectedContextsRoundTrip()
    {
        var ac = new AssociateAccept("PACS", "MDAICLARA", AssociateRequest.DicomApplicationContext,
            [new PresentationContextResult(1, PresentationContextOutcome.Acceptance, "1.2.840.10008.1.2.1"),
             new PresentationContextResult(3, PresentationContextOutcome.AbstractSyntaxNotSupported, "1.2.840.10008.1.2")],
            new UserInformation(32768, "1.2.3", "V1", [new RoleSelection("1.2.840.10008.5.1.4.1.1.2", false, true)]));
        var back = Assert.IsType<AssociateAccept>(Read(PduEncoder.Encode(ac)));
        Assert.Equal(ac.PresentationContexts, back.PresentationContexts);
        Assert.Equal(ac.UserInformation.RoleSelections, back.UserInformation.RoleSelections);
        Assert.Equal(("PACS", "MDAICLARA", 32768u, "V1"), (back.CalledAE, back.CallingAE, back.UserInformation.MaxPduLength, back.UserInformation.ImplementationVersionName));
    }

    [Fact]
    public void RejectAbortAndReleaseHaveTheirFixedForms()
    {
        Assert.Equal(new byte[] { 3, 0, 0, 0, 0, 4, 0, 1, 1, 7 }, PduEncoder.Encode(new AssociateReject(1, 1, 7)));
        Assert.Equal(new byte[] { 7, 0, 0, 0, 0, 4, 0, 0, 2, 6 }, PduEncoder.Encode(new AbortPdu(2, 6)));
        Assert.Equal(new byte[] { 5, 0, 0, 0, 0, 4, 0, 0, 0, 0 }, PduEncoder.Encode(new ReleaseRequestPdu()));
        var rj = Assert.IsType<AssociateReject>(Read([3, 0, 0, 0, 0, 4, 0, 1, 1, 7]));
        Assert.Equal("rejected-permanent by the DICOM UL service-user: called AE title not recognized", rj.ToString());
        var ab = Assert.IsType<AbortPdu>(Read([7, 0, 0, 0, 0, 4, 0, 0, 2, 1]));
        Assert.Equal("aborted by the DICOM UL service-provider: unrecognized PDU", ab.ToString());
    }

    [Fact]
    public void DataTransferCarriesSeveralValuesWithTheirControlHeaders()
    {
        var pdu = new DataTransferPdu([new PresentationDataValue(1, true, true, new byte[] { 1, 2, 3 }), new PresentationDataValue(1, false, false, new byte[] { 9 })]);
        var bytes = PduEncoder.Encode(pdu);
        Assert.Equal(new byte[] { 4, 0, 0, 0, 0, 16, 0, 0, 0, 5, 1, 3, 1, 2, 3, 0, 0, 0, 3, 1, 0, 9 }, bytes);
        var back = Assert.IsType<DataTransferPdu>(Read(bytes));
        Assert.Equal([(true, true, 3), (false, false, 1)], back.Values.Select(v => (v.IsCommand, v.IsLast, v.Data.Length)));
    }
}
