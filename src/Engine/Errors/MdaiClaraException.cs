using System;

namespace MdaiClara.Engine.Errors;

/// <summary>
/// The one exception root of the engine. Every failure a user can see carries a stable
/// <see cref="ErrorId"/>, a <see cref="Kind"/> and the input it concerns; the inner exception is kept.
/// Messages say what went wrong, where, and what to do, and never contain secrets.
/// </summary>
public class MdaiClaraException : Exception
{
    public MdaiClaraException(string message, string errorId, ErrorKind kind, object? target = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    /// <summary>Stable PascalCase identifier, e.g. <c>MmarNotFound</c>; used as the PowerShell FullyQualifiedErrorId.</summary>
    public string ErrorId { get; }

    public ErrorKind Kind { get; }

    /// <summary>The path or object the error is about.</summary>
    public object? Target { get; }

    /// <summary>Extra diagnostic text (for example the native load trace) shown only under -Verbose.</summary>
    public string? DiagnosticDetail { get; init; }
}
