using System;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom.Codecs;
using Xunit;

namespace MdaiClara.Engine.Tests.Imaging.Codecs;

/// <summary>Every JPEG fixture against its reference decoding (GDCM's, or the lossless source image).</summary>
public class JpegDecoderFixtureTests
{
    public static TheoryData<string> JpegFixtures => new(CodecFixtures.OfKind("jpeg").Select(f => f.Name));

    public static TheoryData<string> UnsupportedFixtures => new(CodecFixtures.OfKind("unsupported").Select(f => f.Name));

    [Theory]
    [MemberData(nameof(JpegFixtures))]
    public void DecodesToTheReference(string name)
    {
        CodecFixture fixture = CodecFixtures.Named(name);
        JpegImage image = JpegDecoder.Decode(fixture.Codestream);

        int[] shape = fixture.Shape;
        Assert.Equal((shape[0], shape[1], shape[2]), (image.Height, image.Width, image.Components));
        ushort[] reference = ToUInt16(fixture.ReferenceBytes);
        Assert.Equal(reference.Length, image.Samples.Length);

        int maxDifference = 0;
        int worstAt = -1;
        for (int i = 0; i < reference.Length; i++)
        {
            int difference = Math.Abs(reference[i] - image.Samples[i]);
            if (difference > maxDifference)
            {
                maxDifference = difference;
                worstAt = i;
            }
        }

        int allowed = fixture.Exact ? 0 : fixture.Tolerance;
        Assert.True(
            maxDifference <= allowed,
            $"{name}: max |difference| {maxDifference} > {allowed} at sample {worstAt} (row {worstAt / image.Components / image.Width}, " +
            $"column {worstAt / image.Components % image.Width}, component {worstAt % image.Components})");
    }

    [Theory]
    [MemberData(nameof(JpegFixtures))]
    public void ReportsTheFrameAsTheFixtureStates(string name)
    {
        CodecFixture fixture = CodecFixtures.Named(name);
        JpegImage image = JpegDecoder.Decode(fixture.Codestream);

        if (fixture.Expect("process") is JsonElement process)
        {
            Assert.Equal(Enum.Parse<JpegProcess>(process.GetString()!), image.Process);
        }

        if (fixture.Expect("precision") is JsonElement precision)
        {
            Assert.Equal(precision.GetInt32(), image.Precision);
        }

        if (fixture.Expect("components") is JsonElement components)
        {
            Assert.Equal(components.GetInt32(), image.Components);
            Assert.Equal(components.GetInt32(), image.ComponentIds.Count);
        }

        if (fixture.Expect("predictor") is JsonElement predictor)
        {
            Assert.Equal(predictor.GetInt32(), image.Predictor);
        }

        if (fixture.Expect("pointTransform") is JsonElement pointTransform)
        {
            Assert.Equal(pointTransform.GetInt32(), image.PointTransform);
        }

        if (fixture.Expect("hasJfif") is JsonElement hasJfif)
        {
            Assert.Equal(hasJfif.GetBoolean(), image.HasJfif);
        }

        if (fixture.Expect("adobeTransform") is JsonElement adobe)
        {
            Assert.Equal(adobe.ValueKind == JsonValueKind.Null ? null : adobe.GetInt32(), image.AdobeTransform);
        }

        if (fixture.Expect("width") is JsonElement width)
        {
            Assert.Equal(width.GetInt32(), image.Width);
        }
    }

    [Theory]
    [MemberData(nameof(UnsupportedFixtures))]
    public void RefusesUnsupportedProcessNamingItAndTheRemedy(string name)
    {
        CodecFixture fixture = CodecFixtures.Named(name);

        var error = Assert.Throws<MdaiClaraException>(() => JpegDecoder.Decode(fixture.Codestream));

        Assert.Equal(fixture.ExpectedErrorId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        Assert.Contains(fixture.ExpectedMessagePart, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("gdcmconv --raw", error.Message);
        Assert.Contains("dcmdjpeg", error.Message);
    }

    [Fact]
    public void CoversEveryProcessAndPredictor()
    {
        // The fixture set itself is part of the contract: losing a case silently would weaken the tests above.
        var images = CodecFixtures.OfKind("jpeg").Select(f => (Fixture: f, Image: JpegDecoder.Decode(f.Codestream))).ToList();
        Assert.Equal(
            new[] { 1, 2, 3, 4, 5, 6, 7 },
            images.Where(x => x.Image.Process == JpegProcess.Lossless).Select(x => x.Image.Predictor).Distinct().OrderBy(p => p));
        Assert.Contains(images, x => x.Image.Process == JpegProcess.Lossless && x.Image.PointTransform > 0);
        Assert.Contains(images, x => x.Image.Process == JpegProcess.ExtendedSequential && x.Image.Precision == 12);
        Assert.Contains(images, x => x.Image.Process == JpegProcess.Baseline && x.Image.Components == 1);
        Assert.True(images.Count(x => !x.Fixture.Exact) >= 10);
        Assert.Equal(4, CodecFixtures.OfKind("unsupported").Count);
    }

    private static ushort[] ToUInt16(byte[] littleEndian)
    {
        var values = new ushort[littleEndian.Length / 2];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (ushort)(littleEndian[2 * i] | (littleEndian[(2 * i) + 1] << 8));
        }

        return values;
    }
}
