using System.IO;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Imaging.Dicom;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Tests.TestSupport;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking;

public sealed class ReceiveFolderTests
{
    private static string Phantom(int i) => Path.Combine(TestPaths.RepoRoot, "samples", "phantom", "dicom", $"IM{i:0000}.dcm");

    private static string Uid(string file) => DicomFileReader.Read(file).Dataset.GetString(DicomTag.SopInstanceUid)!;

    private static string Stage(ReceiveFolder folder, string source)
    {
        using var temp = folder.CreateTemporary();
        using (var input = File.OpenRead(source))
        {
            input.CopyTo(temp);
        }

        return temp.Name;
    }

    [Fact]
    public void CommitsByTheUidInTheHeaderAndSkipsWhatIsThere()
    {
        using var dir = new TempDirectory();
        File.Copy(Phantom(1), dir.Combine("whatever-name.dcm"));
        var folder = new ReceiveFolder(dir.Path);
        Assert.True(folder.Contains(Uid(Phantom(1))));

        var (uid, added) = folder.Commit(Stage(folder, Phantom(2)), "test");
        Assert.True(added);
        Assert.Equal(Uid(Phantom(2)), uid);
        Assert.Equal(File.ReadAllBytes(Phantom(2)), File.ReadAllBytes(dir.Combine(uid + ".dcm")));

        var (again, addedAgain) = folder.Commit(Stage(folder, Phantom(1)), "test");
        Assert.False(addedAgain);
        Assert.Equal(Uid(Phantom(1)), again);
        Assert.Equal(2, Directory.GetFiles(dir.Path).Length); // no temporary file left, no second copy
    }

    [Fact]
    public void APartThatIsNotDicomIsRemovedAndReported()
    {
        using var dir = new TempDirectory();
        var folder = new ReceiveFolder(dir.Path);
        string name;
        using (var temp = folder.CreateTemporary())
        {
            temp.Write(new byte[300]);
            name = temp.Name;
        }

        var ex = Assert.Throws<MdaiClaraException>(() => folder.Commit(name, "http://pacs/x"));
        Assert.Equal(ErrorIds.DicomWebResponseInvalid, ex.ErrorId);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void LeftoversOfAKilledRunAreRemovedAndTruncatedFilesDoNotCount()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.Combine(".mdaiclara-receive-0123.part"), new byte[10]);
        File.WriteAllBytes(dir.Combine("cut.dcm"), File.ReadAllBytes(Phantom(3))[..200]);
        var folder = new ReceiveFolder(dir.Path);
        Assert.False(File.Exists(dir.Combine(".mdaiclara-receive-0123.part")));
        Assert.Empty(folder.Present);
    }
}
