using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using MdaiClara.Engine.Tests.TestSupport;

namespace MdaiClara.Engine.Tests.Imaging.Codecs;

/// <summary>
/// The committed codec fixtures (tests/fixtures/codecs, made by make_fixtures.py): one compressed frame each, with
/// its reference decoding and what a decoder must report or refuse.
/// </summary>
internal static class CodecFixtures
{
    private static readonly Lazy<IReadOnlyList<CodecFixture>> All = new(Load);

    public static string Folder => Path.Combine(TestPaths.Fixtures, "codecs");

    public static IReadOnlyList<CodecFixture> OfKind(string kind) => All.Value.Where(f => f.Kind == kind).ToList();

    public static CodecFixture Named(string name) => All.Value.Single(f => f.Name == name);

    private static IReadOnlyList<CodecFixture> Load()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "fixtures.json")));
        var fixtures = new List<CodecFixture>();
        foreach (JsonElement entry in document.RootElement.GetProperty("fixtures").EnumerateArray())
        {
            fixtures.Add(new CodecFixture(entry));
        }

        return fixtures;
    }
}

/// <summary>One entry of fixtures.json.</summary>
internal sealed class CodecFixture
{
    private readonly JsonElement entry;

    public CodecFixture(JsonElement entry)
    {
        this.entry = entry.Clone();
    }

    public string Name => entry.GetProperty("name").GetString()!;

    public string Kind => entry.GetProperty("kind").GetString()!;

    public bool Exact => entry.GetProperty("compare").GetString() == "exact";

    public int Tolerance => entry.GetProperty("tolerance").GetInt32();

    public int[] Shape => entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public string ExpectedErrorId => entry.GetProperty("expectError").GetString()!;

    public string ExpectedMessagePart => entry.GetProperty("messageContains").GetString()!;

    public byte[] Codestream => File.ReadAllBytes(Path.Combine(CodecFixtures.Folder, entry.GetProperty("file").GetString()!));

    /// <summary>The reference samples as stored: raw little-endian bytes.</summary>
    public byte[] ReferenceBytes
    {
        get
        {
            using FileStream file = File.OpenRead(Path.Combine(CodecFixtures.Folder, entry.GetProperty("reference").GetString()!));
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            gzip.CopyTo(buffer);
            return buffer.ToArray();
        }
    }

    public int Int(string property) => entry.GetProperty(property).GetInt32();

    /// <summary>An optional expectation from the entry's "expect" object, or null when the entry does not state it.</summary>
    public JsonElement? Expect(string property) =>
        entry.TryGetProperty("expect", out JsonElement expect) && expect.TryGetProperty(property, out JsonElement value) ? value : null;

    public override string ToString() => Name;
}
