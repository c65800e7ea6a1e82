using System;
using System.IO;
using System.Linq;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking.Dimse.Messages;
using MdaiClara.Engine.Networking.Dimse.Pdus;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking.Dimse;

/// <summary>Command sets in implicit VR little endian with their group length; messages fragmented to the peer's maximum and joined again.</summary>
public sealed class DimseMessageTests
{
    [Fact]
    public void EchoRequestEncodesGroupLengthFirstAndEvenPaddedUid()
    {
        var bytes = DimseCommands.EchoRequest(7).Encode();
        Assert.Equal(new byte[] { 0, 0, 0, 0, 4, 0, 0, 0 }, bytes[..8]);
        Assert.Equal((uint)(bytes.Length - 12), BitConverter.ToUInt32(bytes, 8));
        // (0000,0002) UI "1.2.840.10008.1.1" is 17 characters, padded with one NUL to 18.
        Assert.Equal(new byte[] { 0, 0, 2, 0, 18, 0, 0, 0 }, bytes[12..20]);
        Assert.Equal(0, bytes[37]);
        var back = DimseCommand.Decode(bytes, "peer");
        Assert.Equal(DimseCommandField.CEchoRequest, back.Field);
        Assert.Equal(7, back.MessageId);
        Assert.False(back.HasDataSet);
        Assert.Equal(DimseCommands.VerificationSopClass, back.GetString(DimseCommandTags.AffectedSopClassUid));
    }

    [Fact]
    public void CommandOutsideGroupZeroOrOverrunningIsAProtocolError()
    {
        var bytes = DimseCommands.EchoRequest(1).Encode();
        var overrun = (byte[])bytes.Clone();
        overrun[16] = 200;
        Assert.Equal(ErrorIds.DimseProtocolError, Assert.Throws<MdaiClaraException>(() => DimseCommand.Decode(overrun, "peer")).ErrorId);
        var foreign = (byte[])bytes.Clone();
        foreign[12] = 8;
        Assert.Contains("outside group 0000", Assert.Throws<MdaiClaraException>(() => DimseCommand.Decode(foreign, "peer")).Message);
    }

    [Fact]
    public void DataSetIsCutToThePeerMaximumAndJoinedBack()
    {
        var wire = new MemoryStream();
        var sender = new DimseMessageChannel(new PduStream(wire, "peer", TimeSpan.FromSeconds(1)), "peer", peerMaxPduLength: 1000);
        var data = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        var command = new DimseCommand().SetUInt16(DimseCommandTags.CommandField, (ushort)DimseCommandField.CStoreRequest)
            .SetUInt16(DimseCommandTags.MessageId, 3).SetUInt16(DimseCommandTags.CommandDataSetType, 0);
        sender.Send(new DimseMessage(5, command, data), "sending");

        wire.Position = 0;
        var reader = new PduStream(wire, "peer", TimeSpan.FromSeconds(1)) { MaxIncomingDataLength = 1000 };
        var pdus = 0;
        while (wire.Position < wire.Length)
        {
            var start = wire.Position;
            Assert.IsType<DataTransferPdu>(reader.Read("reading"));
            Assert.True(wire.Position - start - 6 <= 1000);
            pdus++;
        }

        Assert.Equal(1 + 6, pdus); // one command PDU, 5000 bytes in 994-byte fragments
        wire.Position = 0;
        var receiver = new DimseMessageChannel(new PduStream(wire, "peer", TimeSpan.FromSeconds(1)) { MaxIncomingDataLength = 1000 }, "peer", 1000);
        var message = receiver.Receive("receiving");
        Assert.Equal(5, message.PresentationContextId);
        Assert.Equal(DimseCommandField.CStoreRequest, message.Command.Field);
        Assert.Equal(data, message.DataSet!.Value.ToArray());
    }

    [Fact]
    public void AbortWhileWaitingNamesTheSource()
    {
        var wire = new MemoryStream(PduEncoder.Encode(new AbortPdu(0, 0)));
        var channel = new DimseMessageChannel(new PduStream(wire, "peer", TimeSpan.FromSeconds(1)), "peer", 16384);
        var e = Assert.ThrowsAny<MdaiClaraException>(() => channel.Receive("waiting for the C-ECHO response"));
        Assert.Equal(ErrorIds.DimseAssociationAborted, e.ErrorId);
        Assert.Contains("aborted by the DICOM UL service-user", e.Message);
    }

    [Fact]
    public void StatusNamesItsClass()
    {
        Assert.Equal("0000H success", DimseStatus.Describe(0));
        Assert.Equal("A700H failure: out of resources", DimseStatus.Describe(0xA700));
        Assert.Equal("B000H warning", DimseStatus.Describe(0xB000));
        Assert.True(DimseStatus.IsPending(0xFF01));
    }
}
