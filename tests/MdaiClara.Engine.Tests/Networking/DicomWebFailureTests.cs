using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Networking.DicomWeb;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking;

/// <summary>The failure modes a real PACS cannot be made to show on demand, against a scripted loopback server.</summary>
public sealed class DicomWebFailureTests
{
    private const string Secret = "pw-NEVER-SHOWN-8813";
    private const string StudyJson = """[{"0020000D":{"vr":"UI","Value":["1.2.3"]},"00100020":{"vr":"LO","Value":["P1"]},"00100010":{"vr":"PN","Value":[{"Alphabetic":"DOE^JANE"}]},"00080020":{"vr":"DA","Value":["20261203"]},"00080061":{"vr":"CS","Value":["CT","SEG"]},"00201206":{"vr":"IS","Value":[2]},"00201208":{"vr":"IS","Value":["41"]}}]""";

    private static DicomWebConnection Connect(ScriptedHttpServer server, int retries = 3, DicomCredential? credential = null) =>
        new(new DicomWebOptions(server.Root, "scripted")
        {
            Credential = credential ?? DicomCredential.Basic("alice", OrthancServer.Secure(Secret)),
            MaxRetries = retries,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            Timeout = TimeSpan.FromSeconds(10),
        });

    private static string Phantom(int i) => Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "dicom", $"IM{i:0000}.dcm");

    [Fact]
    public void ParsesStudiesFromTheDicomJsonModel()
    {
        using var server = new ScriptedHttpServer(ScriptedHttpServer.Json(200, StudyJson));
        using var pacs = Connect(server);
        var study = Assert.Single(pacs.FindStudies(new DicomQuery { PatientId = "P1" }, CancellationToken.None));
        Assert.Equal("1.2.3", study.StudyInstanceUid);
        Assert.Equal("DOE^JANE", study.PatientName);
        Assert.Equal(new DateOnly(2026, 12, 3), study.StudyDate);
        Assert.Equal(["CT", "SEG"], study.Modalities);
        Assert.Equal(2, study.NumberOfSeries);
        Assert.Equal(41, study.NumberOfInstances);
        Assert.Same(pacs, study.Connection);
        Assert.Contains("GET /dicom-web/studies?PatientID=P1", server.Requests.Single());
    }

    [Fact]
    public void NoContentIsAnEmptyAnswer()
    {
        using var server = new ScriptedHttpServer(ScriptedHttpServer.Response(204, "No Content", "application/dicom+json", []));
        using var pacs = Connect(server);
        Assert.Empty(pacs.FindSeries(new DicomQuery(), CancellationToken.None));
    }

    [Fact]
    public void TransientStatusesAndResetsAreRetried()
    {
        using var server = new ScriptedHttpServer(
            ScriptedHttpServer.Json(503, "{}"),
            null,
            ScriptedHttpServer.Json(429, "{}", "Retry-After: 0"),
            ScriptedHttpServer.Json(502, "{}"),
            ScriptedHttpServer.Json(200, StudyJson));
        using var pacs = Connect(server, retries: 4);
        Assert.Single(pacs.FindStudies(new DicomQuery(), CancellationToken.None));
        Assert.Equal(5, server.Requests.Count);
    }

    [Fact]
    public void RetriesEndInAClearErrorNamingTheStatus()
    {
        using var server = new ScriptedHttpServer(Enumerable.Repeat(ScriptedHttpServer.Json(504, "{}"), 3).ToArray());
        using var pacs = Connect(server, retries: 2);
        var ex = Assert.Throws<MdaiClaraException>(() => pacs.FindStudies(new DicomQuery(), CancellationToken.None));
        Assert.Equal(ErrorIds.DicomWebHttpError, ex.ErrorId);
        Assert.Contains("504", ex.Message);
        Assert.Contains("2 retries", ex.Message);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public void AServerThatIsNotThereIsUnreachableAfterRetries()
    {
        Uri root;
        using (var gone = new ScriptedHttpServer())
        {
            root = gone.Root;
        }

        using var pacs = new DicomWebConnection(new DicomWebOptions(root, "gone") { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(10) });
        var ex = Assert.Throws<MdaiClaraException>(() => pacs.FindStudies(new DicomQuery(), CancellationToken.None));
        Assert.Equal(ErrorIds.DicomWebUnreachable, ex.ErrorId);
        Assert.Contains(root.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
    }

    [Fact]
    public void UnauthorizedIsASecurityErrorWithoutTheSecret()
    {
        using var server = new ScriptedHttpServer(ScriptedHttpServer.Json(401, "{}"));
        using var pacs = Connect(server);
        var ex = Assert.Throws<MdaiClaraException>(() => pacs.FindStudies(new DicomQuery(), CancellationToken.None));
        Assert.Equal(ErrorIds.DicomWebUnauthorized, ex.ErrorId);
        Assert.Equal(ErrorKind.SecurityError, ex.Kind);
        Assert.Single(server.Requests); // never retried
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"alice:{Secret}"));
        Assert.Contains($"Authorization: Basic {basic}", server.Requests.Single());
        foreach (var text in new[] { ex.ToString(), pacs.ToString(), pacs.Options.ToString(), pacs.Authentication })
        {
            Assert.DoesNotContain(Secret, text);
            Assert.DoesNotContain(basic, text);
        }

        Assert.Contains("alice", ex.Message);
    }

    [Fact]
    public void BearerTokensAreSentButNeverShown()
    {
        using var server = new ScriptedHttpServer(ScriptedHttpServer.Json(403, "{}"));
        using var pacs = Connect(server, credential: DicomCredential.Bearer(OrthancServer.Secure(Secret)));
        var ex = Assert.Throws<MdaiClaraException>(() => pacs.FindStudies(new DicomQuery(), CancellationToken.None));
        Assert.Equal(ErrorIds.DicomWebForbidden, ex.ErrorId);
        Assert.Contains($"Authorization: Bearer {Secret}", server.Requests.Single());
        Assert.DoesNotContain(Secret, ex.ToString());
        Assert.DoesNotContain(Secret, pacs.ToString());
        Assert.Equal("Bearer token", pacs.Authentication);
    }

    [Fact]
    public void StowAnswersBecomeOneResultPerFileWithTheReasonNamed()
    {
        var stored = DicomFileReader.Read(Phantom(1)).Dataset.GetString(DicomTag.SopInstanceUid)!;
        var failed = DicomFileReader.Read(Phantom(2)).Dataset.GetString(DicomTag.SopInstanceUid)!;
        var json = $$$"""
            {"00081199":{"vr":"SQ","Value":[{"00081155":{"vr":"UI","Value":["{{{stored}}}"]}}]},
             "00081198":{"vr":"SQ","Value":[{"00081155":{"vr":"UI","Value":["{{{failed}}}"]},"00081197":{"vr":"US","Value":[42752]}}]}}
            """;
        using var temp = new TempDirectory();
        var notDicom = temp.Write("notes.txt", "not an image at all, but long enough");
        using var server = new ScriptedHttpServer(ScriptedHttpServer.Json(202, json));
        using var pacs = Connect(server);
        var results = pacs.Store([Phantom(1), Phantom(2), Phantom(3), notDicom], null, null, CancellationToken.None);
        Assert.Equal(4, results.Count);
        Assert.Equal(DicomStoreStatus.NotSent, results[0].Status);
        Assert.Equal(notDicom, results[0].Path);
        var ok = results.Single(r => r.Path == Phantom(1));
        Assert.Equal(DicomStoreStatus.Stored, ok.Status);
        var refused = results.Single(r => r.Path == Phantom(2));
        Assert.Equal(DicomStoreStatus.Failed, refused.Status);
        Assert.Equal(0xA700, refused.FailureReason);
        Assert.Contains("0xA700 (out of resources)", refused.Reason);
        var unmentioned = results.Single(r => r.Path == Phantom(3));
        Assert.Equal(DicomStoreStatus.Failed, unmentioned.Status);
        Assert.Contains("does not list it", unmentioned.Reason);
        var head = server.Requests.Single();
        Assert.Contains("POST /dicom-web/studies", head);
        Assert.Contains("multipart/related; type=\"application/dicom\"; boundary=", head);
    }

    [Fact]
    public void AMalformedRetrievalLeavesNoFile()
    {
        var garbage = ScriptedHttpServer.Response(200, "OK", "multipart/related; type=\"application/dicom\"; boundary=abc", Encoding.ASCII.GetBytes("--abc\r\nContent-Type: application/dicom\r\n\r\nNOT DICOM AT ALL, NOT EVEN CLOSE\r\n--abc--\r\n"));
        using var server = new ScriptedHttpServer(garbage);
        using var pacs = Connect(server);
        using var temp = new TempDirectory();
        var ex = Assert.Throws<MdaiClaraException>(() => pacs.ReceiveSeries("1.2", "1.2.3", temp.Path, null, null, CancellationToken.None));
        Assert.Equal(ErrorIds.DicomWebResponseInvalid, ex.ErrorId);
        Assert.Empty(Directory.GetFiles(temp.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void ARetrievalAnsweredWithTheWrongMediaTypeIsAClearError()
    {
        using var server = new ScriptedHttpServer(ScriptedHttpServer.Json(200, "[]"));
        using var pacs = Connect(server);
        using var temp = new TempDirectory();
        var ex = Assert.Throws<MdaiClaraException>(() => pacs.ReceiveSeries("1.2", "1.2.3", temp.Path, null, null, CancellationToken.None));
        Assert.Equal(ErrorIds.DicomWebResponseInvalid, ex.ErrorId);
        Assert.Contains("multipart/related was asked for", ex.Message);
    }

    [Fact]
    public void MalformedJsonIsAClearError()
    {
        using var server = new ScriptedHttpServer(ScriptedHttpServer.Json(200, "[{\"0020000D\": "));
        using var pacs = Connect(server);
        var ex = Assert.Throws<MdaiClaraException>(() => pacs.FindStudies(new DicomQuery(), CancellationToken.None));
        Assert.Equal(ErrorIds.DicomWebResponseInvalid, ex.ErrorId);
    }
}
