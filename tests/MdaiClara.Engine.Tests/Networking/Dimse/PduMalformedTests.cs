using System;
using System.Diagnostics;
using System.IO;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking.Dimse.Pdus;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking.Dimse;

/// <summary>Malformed PDUs are DimseProtocolError (or DimsePeerClosed for a cut stream) naming what is wrong, before any large allocation.</summary>
public sealed class PduMalformedTests
{
    private static MdaiClaraException ReadFails(byte[] bytes, uint maxData = 16384)
    {
        var stream = new PduStream(new MemoryStream(bytes), "test-peer", TimeSpan.FromSeconds(1)) { MaxIncomingDataLength = maxData };
        return Assert.ThrowsAny<MdaiClaraException>(() => stream.Read("reading"));
    }

    [Fact]
    public void UnknownPduTypeIsAProtocolError()
    {
        var e = ReadFails([0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0]);
        Assert.Equal(ErrorIds.DimseProtocolError, e.ErrorId);
        Assert.Contains("unknown PDU type 09H", e.Message);
    }

    [Fact]
    public void ImpossibleLengthIsRefusedFromTheHeaderAlone()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = ReadFails([0x04, 0, 0xFF, 0xFF, 0xFF, 0xF0]);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "no buffer of the declared size may be allocated");
        Assert.Equal(ErrorIds.DimseProtocolError, e.ErrorId);
        Assert.Contains("declares 4294967280 bytes, more than the 16384 allowed", e.Message);
    }

    [Fact]
    public void DataLongerThanTheAnnouncedMaximumIsRefused()
    {
        var e = ReadFails([0x04, 0, 0, 0, 0x40, 0x01], maxData: 16384);
        Assert.Contains("16385", e.Message);
    }

    [Fact]
    public void ReleaseWithAWrongLengthIsRefused()
    {
        Assert.Equal(ErrorIds.DimseProtocolError, ReadFails([0x05, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0]).ErrorId);
    }

    [Fact]
    public void ItemRunningPastItsParentIsRefused()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.Fixtures, "dimse", "echoscu-associate-rq.bin"));
        bytes[0x4A + 3] = 0xF0; // application context item claims 240 bytes
        bytes[0x4A + 2] = 0x01;
        var e = ReadFails(bytes);
        Assert.Equal(ErrorIds.DimseProtocolError, e.ErrorId);
        Assert.Contains("item 10H declares 496 bytes", e.Message);
    }

    [Fact]
    public void PdvShorterThanItsHeaderIsRefused()
    {
        var e = ReadFails([0x04, 0, 0, 0, 0, 6, 0, 0, 0, 1, 1, 3]);
        Assert.Contains("PDV item length of 1", e.Message);
    }

    [Fact]
    public void StreamEndingInsideAPduIsPeerClosed()
    {
        var e = ReadFails([0x02, 0, 0, 0, 0, 100, 0, 1]);
        Assert.Equal(ErrorIds.DimsePeerClosed, e.ErrorId);
        Assert.Contains("after 2 of 100 bytes", e.Message);
    }

    [Fact]
    public void EveryTruncationOfARealPduFailsCleanly()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.Fixtures, "dimse", "storescp-associate-ac.bin"));
        var clock = Stopwatch.StartNew();
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var e = ReadFails(bytes[..cut]);
            Assert.Equal(ErrorIds.DimsePeerClosed, e.ErrorId);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("echoscu-associate-rq.bin")]
    [InlineData("storescp-associate-ac.bin")]
    public void EveryByteOfARealPduMutatedDecodesOrFailsAsAProtocolError(string fixture)
    {
        var original = File.ReadAllBytes(Path.Combine(TestPaths.Fixtures, "dimse", fixture));
        var outcomes = new System.Collections.Generic.HashSet<string>();
        foreach (var value in new byte[] { 0x00, 0x01, 0x7F, 0xFF })
        {
            for (var i = 0; i < original.Length; i++)
            {
                var bytes = (byte[])original.Clone();
                bytes[i] = value;
                try
                {
                    new PduStream(new MemoryStream(bytes), "test-peer", TimeSpan.FromSeconds(1)).Read("reading");
                    outcomes.Add("decoded");
                }
                catch (MdaiClaraException e)
                {
                    Assert.True(e.ErrorId is ErrorIds.DimseProtocolError or ErrorIds.DimsePeerClosed, $"byte {i} = {value:X2}: {e.ErrorId} {e.Message}");
                    outcomes.Add(e.ErrorId);
                }
            }
        }

        Assert.Contains("decoded", outcomes);
        Assert.Contains(ErrorIds.DimseProtocolError, outcomes);
    }
}
