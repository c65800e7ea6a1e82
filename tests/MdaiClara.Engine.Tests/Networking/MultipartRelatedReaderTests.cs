using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking.DicomWeb;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking;

public sealed class MultipartRelatedReaderTests
{
    private const string Boundary = "b0und4ry-x";

    private static byte[] Body(bool withLength, params byte[][] parts)
    {
        var ms = new MemoryStream();
        void W(string s) => ms.Write(Encoding.ASCII.GetBytes(s));
        W("preamble to ignore\r\n");
        foreach (var part in parts)
        {
            W($"--{Boundary}\r\nContent-Type: application/dicom\r\n");
            if (withLength)
            {
                W($"Content-Length: {part.Length}\r\n");
            }

            W("\r\n");
            ms.Write(part);
            W("\r\n");
        }

        W($"--{Boundary}--\r\nepilogue");
        return ms.ToArray();
    }

    private static byte[] Random(int n, int seed)
    {
        var bytes = new byte[n];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A stream that returns at most <paramref name="chunk"/> bytes per read, as a network does.</summary>
    private sealed class Trickle(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }

    private static List<byte[]> ReadAll(Stream stream)
    {
        var reader = new MultipartRelatedReader(stream, Boundary, "test");
        var parts = new List<byte[]>();
        while (reader.MoveNext(CancellationToken.None))
        {
            var ms = new MemoryStream();
            reader.CopyBodyTo(ms, CancellationToken.None);
            parts.Add(ms.ToArray());
        }

        return parts;
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 7)]
    [InlineData(false, 1)]
    [InlineData(false, 13)]
    [InlineData(false, 1 << 20)]
    public void ReadsEveryPartExactly_WithOrWithoutContentLength_WhateverTheReadSizes(bool withLength, int chunk)
    {
        // Bodies that contain CRLF, "--" and a near-miss of the delimiter must come through untouched.
        var tricky = Encoding.ASCII.GetBytes($"x\r\n--{Boundary[..^1]}y\r\n--\r\n");
        var parts = new[] { Random(300_001, 1), tricky, Array.Empty<byte>(), Random(70_000, 2) };
        var read = ReadAll(new Trickle(Body(withLength, parts), chunk));
        Assert.Equal(parts.Length, read.Count);
        for (var i = 0; i < parts.Length; i++)
        {
            Assert.True(parts[i].AsSpan().SequenceEqual(read[i]), $"part {i} differs");
        }
    }

    [Fact]
    public void ReportsEachPartsHeaders()
    {
        var reader = new MultipartRelatedReader(new MemoryStream(Body(true, Random(10, 3))), Boundary, "test");
        Assert.True(reader.MoveNext(CancellationToken.None));
        Assert.Equal("application/dicom", reader.Headers["content-type"]);
        Assert.Equal(10, reader.ContentLength);
        Assert.False(reader.MoveNext(CancellationToken.None));
        Assert.False(reader.MoveNext(CancellationToken.None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ATruncatedBodyIsAnInterruptedTransfer(bool withLength)
    {
        var body = Body(withLength, Random(50_000, 4), Random(50_000, 5));
        var cut = body.AsSpan(0, body.Length - 30_000).ToArray();
        var ex = Assert.Throws<MdaiClaraException>(() => ReadAll(new MemoryStream(cut)));
        Assert.Equal(ErrorIds.DicomWebTransferInterrupted, ex.ErrorId);
        Assert.Contains("ended", ex.Message);
    }

    [Fact]
    public void AnEmptyBodyIsAnInterruptedTransfer()
    {
        var ex = Assert.Throws<MdaiClaraException>(() => ReadAll(new MemoryStream()));
        Assert.Equal(ErrorIds.DicomWebTransferInterrupted, ex.ErrorId);
    }

    [Fact]
    public void ABodyWithoutItsBoundaryIsMalformed()
    {
        var body = Encoding.ASCII.GetBytes(new string('x', 200_000));
        var ex = Assert.Throws<MdaiClaraException>(() => ReadAll(new MemoryStream(body)));
        Assert.Equal(ErrorIds.DicomWebResponseInvalid, ex.ErrorId);
        Assert.Contains("boundary", ex.Message);
    }

    [Fact]
    public void AContentLengthThatDoesNotEndAtTheBoundaryIsMalformed()
    {
        var body = Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Length: 3\r\n\r\nabcdef\r\n--{Boundary}--\r\n");
        var ex = Assert.Throws<MdaiClaraException>(() => ReadAll(new MemoryStream(body)));
        Assert.Equal(ErrorIds.DicomWebResponseInvalid, ex.ErrorId);
        Assert.Contains("Content-Length", ex.Message);
    }

    [Fact]
    public void AHeaderWithoutAColonIsMalformed()
    {
        var body = Encoding.ASCII.GetBytes($"--{Boundary}\r\nnot a header\r\n\r\nabc\r\n--{Boundary}--\r\n");
        var ex = Assert.Throws<MdaiClaraException>(() => ReadAll(new MemoryStream(body)));
        Assert.Equal(ErrorIds.DicomWebResponseInvalid, ex.ErrorId);
        Assert.Contains("not a header", ex.Message);
    }

    [Fact]
    public void EndlessHeadersAreRefusedWithoutUnboundedMemory()
    {
        var body = new MemoryStream();
        body.Write(Encoding.ASCII.GetBytes($"--{Boundary}\r\n"));
        for (var i = 0; i < 10_000; i++)
        {
            body.Write(Encoding.ASCII.GetBytes($"X-Filler-{i}: {new string('a', 40)}\r\n"));
        }

        var ex = Assert.Throws<MdaiClaraException>(() => ReadAll(new MemoryStream(body.ToArray())));
        Assert.Equal(ErrorIds.DicomWebResponseInvalid, ex.ErrorId);
    }

    [Fact]
    public void CancellationStopsTheCopy()
    {
        var reader = new MultipartRelatedReader(new Trickle(Body(false, Random(1_000_000, 6)), 4096), Boundary, "test");
        Assert.True(reader.MoveNext(CancellationToken.None));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => reader.CopyBodyTo(Stream.Null, cts.Token));
    }
}
