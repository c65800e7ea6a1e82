using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace MdaiClara.Engine.Networking;

/// <summary>
/// How a connection proves who it is: a user name and password (HTTP Basic) or a bearer token. The secret is held as a
/// read-only <see cref="SecureString"/> and only turned into text for the moment a request header is built;
/// <see cref="ToString"/> never shows it.
/// </summary>
public sealed class DicomCredential : IDisposable
{
    private readonly SecureString _secret;

    private DicomCredential(DicomCredentialKind kind, string? userName, SecureString secret)
    {
        Kind = kind;
        UserName = userName;
        _secret = secret.Copy();
        _secret.MakeReadOnly();
    }

    public DicomCredentialKind Kind { get; }

    /// <summary>The user name of a Basic credential (not a secret); null for a token.</summary>
    public string? UserName { get; }

    public static DicomCredential Basic(string userName, SecureString password)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentNullException.ThrowIfNull(password);
        return new DicomCredential(DicomCredentialKind.Basic, userName, password);
    }

    public static DicomCredential Bearer(SecureString token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new DicomCredential(DicomCredentialKind.Bearer, null, token);
    }

    /// <summary>The Authorization header value ("Basic …" or "Bearer …"); build it per request, never keep or log it.</summary>
    internal string AuthorizationHeaderValue()
    {
        var secret = Reveal(_secret);
        return Kind == DicomCredentialKind.Basic
            ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{secret}"))
            : "Bearer " + secret;
    }

    public override string ToString() => Kind == DicomCredentialKind.Basic ? $"Basic ({UserName})" : "Bearer token";

    public void Dispose() => _secret.Dispose();

    private static string Reveal(SecureString secure)
    {
        var pointer = IntPtr.Zero;
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            return Marshal.PtrToStringUni(pointer) ?? string.Empty;
        }
        finally
        {
            if (pointer != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}

/// <summary>The kind of credential a connection sends.</summary>
public enum DicomCredentialKind
{
    Basic,
    Bearer,
}
