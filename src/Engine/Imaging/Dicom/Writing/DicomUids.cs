using System;
using System.Globalization;
using System.Numerics;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Imaging.Dicom.Writing;

/// <summary>
/// Makes new UIDs. Under the default root, 2.25, a UID is a random UUID written as one decimal integer (PS3.5 B.2:
/// unique without registration). Under an organisation's own root, the root is followed by the same integer, shortened
/// to what the 64-character limit leaves (still over 100 random bits for any root up to 30 characters).
/// </summary>
public static class DicomUids
{
    /// <summary>The root of UUID-derived UIDs (PS3.5 B.2).</summary>
    public const string UuidRoot = "2.25";

    /// <summary>The shortest random suffix a root must leave room for (about 90 bits).</summary>
    private const int MinimumSuffixDigits = 27;

    /// <summary>A new UID under <paramref name="root"/> (2.25 when null).</summary>
    public static string New(string? root = null)
    {
        root ??= UuidRoot;
        CheckRoot(root);
        var suffix = new BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true).ToString(CultureInfo.InvariantCulture);
        if (root == UuidRoot)
        {
            return $"{root}.{suffix}";
        }

        var room = 64 - root.Length - 1;
        if (suffix.Length > room)
        {
            suffix = suffix[..room].TrimStart('0');
        }

        return $"{root}.{(suffix.Length == 0 ? "1" : suffix)}";
    }

    /// <summary>Throws DicomUidRootInvalid when <paramref name="root"/> cannot prefix new UIDs.</summary>
    public static void CheckRoot(string root)
    {
        if (Problem(root) is { } problem)
        {
            throw new MdaiClaraException($"The UID root '{root}' cannot be used: {problem}.", ErrorIds.DicomUidRootInvalid, ErrorKind.InvalidArgument, root);
        }

        if (root.Length > 64 - 1 - MinimumSuffixDigits)
        {
            throw new MdaiClaraException(
                $"The UID root '{root}' cannot be used: it has {root.Length} characters, which leaves too little of a UID's 64 for a unique suffix (use at most {64 - 1 - MinimumSuffixDigits}).",
                ErrorIds.DicomUidRootInvalid, ErrorKind.InvalidArgument, root);
        }
    }

    /// <summary>Why <paramref name="uid"/> is not a valid UID (PS3.5 9.1), or null when it is.</summary>
    public static string? Problem(string uid)
    {
        if (uid.Length is 0 or > 64)
        {
            return uid.Length == 0 ? "it is empty" : $"it has {uid.Length} characters; a UID has at most 64";
        }

        foreach (var component in uid.Split('.'))
        {
            if (component.Length == 0)
            {
                return "it has an empty component (two dots together, or a dot at an end)";
            }

            foreach (var c in component)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return $"it holds '{c}'; a UID is digits and dots only";
                }
            }

            if (component.Length > 1 && component[0] == '0')
            {
                return $"its component '{component}' starts with 0";
            }
        }

        return null;
    }
}
