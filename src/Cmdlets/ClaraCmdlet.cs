using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Cmdlets;

/// <summary>
/// The base of every MdaiClara cmdlet: cancellation wired to Ctrl+C (StopProcessing), path resolution in one place,
/// engine errors mapped to ErrorRecords with stable ErrorIds, and long work run on a worker while the pipeline thread
/// writes the engine's messages.
/// </summary>
public abstract partial class ClaraCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private bool _disposed;

    internal HostLog Log { get; } = new();

    protected CancellationToken StopToken => _stop.Token;

    protected override void StopProcessing() => _stop.Cancel();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _stop.Dispose();
        }

        _disposed = true;
    }

    /// <summary>
    /// Runs engine work on a worker thread and writes its queued messages from the pipeline thread until it ends.
    /// A stop (Ctrl+C) becomes PipelineStoppedException at once. <paramref name="onTick"/> runs on the pipeline thread
    /// every 50 ms while the work runs (progress records are written from there).
    /// </summary>
    protected T RunOnWorker<T>(Func<CancellationToken, T> work, Action? onTick = null)
    {
        var task = Task.Run(() => work(StopToken), StopToken);
        var done = ((IAsyncResult)task).AsyncWaitHandle;
        while (!done.WaitOne(50))
        {
            Log.Drain(this);
            onTick?.Invoke();
            if (StopToken.IsCancellationRequested)
            {
                // Ctrl+C: stop waiting now; the worker notices the token at its next check and ends on its own.
                throw new PipelineStoppedException();
            }
        }

        Log.Drain(this);
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// Resolves -Path (wildcards) or -LiteralPath to file-system paths. Each path that resolves to nothing is a
    /// non-terminating ObjectNotFound error with <paramref name="notFoundErrorId"/>, and the rest go on.
    /// </summary>
    protected IEnumerable<string> ResolvePaths(IEnumerable<string> paths, bool literal, string notFoundErrorId)
    {
        foreach (var path in paths)
        {
            var resolved = new List<string>();
            try
            {
                if (literal)
                {
                    var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
                    if (!IsFileSystem(provider, path))
                    {
                        continue;
                    }

                    if (!File.Exists(full) && !Directory.Exists(full))
                    {
                        WriteNotFound(path, notFoundErrorId);
                        continue;
                    }

                    resolved.Add(full);
                }
                else
                {
                    var matches = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
                    if (!IsFileSystem(provider, path))
                    {
                        continue;
                    }

                    if (matches.Count == 0)
                    {
                        WriteNotFound(path, notFoundErrorId);
                        continue;
                    }

                    resolved.AddRange(matches);
                }
            }
            catch (ItemNotFoundException)
            {
                WriteNotFound(path, notFoundErrorId);
                continue;
            }
            catch (Exception ex) when (ex is System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or PSArgumentException or NotSupportedException or ArgumentException)
            {
                WriteError(new ErrorRecord(new ArgumentException($"'{path}' is not a valid path: {ex.Message}", ex), notFoundErrorId, ErrorCategory.InvalidArgument, path));
                continue;
            }

            foreach (var r in resolved)
            {
                yield return r;
            }
        }
    }

    /// <summary>Writes an engine error as a non-terminating error for one input; the pipeline goes on.</summary>
    protected void WriteEngineError(MdaiClaraException ex)
    {
        if (ex.DiagnosticDetail is { Length: > 0 } detail)
        {
            WriteVerbose(detail);
        }

        WriteError(ToErrorRecord(ex));
    }

    /// <summary>Exceptions that are neither ours nor PowerShell's own flow control: a defect, reported per input.</summary>
    protected static bool IsUnexpected(Exception ex) =>
        ex is not (PipelineStoppedException or OperationCanceledException or MdaiClaraException or OutOfMemoryException);

    /// <summary>
    /// A failure the engine did not anticipate: reported for this input only, with a stable ErrorId, so one bad MMAR
    /// never stops the pipeline. The exception (and its stack) stays in the ErrorRecord for a bug report.
    /// </summary>
    protected void WriteUnexpectedError(Exception ex, string target)
    {
        var message = $"MdaiClara could not process '{target}' because of an unexpected {ex.GetType().Name}: {ex.Message.Split('\n')[0].TrimEnd('.')}. "
            + "This is a defect in MdaiClara; please report it with the output of -Verbose.";
        var record = new ErrorRecord(ex, "UnexpectedFailure", ErrorCategory.NotSpecified, target) { ErrorDetails = new ErrorDetails(message) };
        WriteError(record);
    }

    /// <summary>Stops the command with an engine error (for whole-command problems such as an unusable device).</summary>
    protected void ThrowEngineError(MdaiClaraException ex)
    {
        if (ex.DiagnosticDetail is { Length: > 0 } detail)
        {
            WriteVerbose(detail);
        }

        ThrowTerminatingError(ToErrorRecord(ex));
    }

    internal static ErrorRecord ToErrorRecord(MdaiClaraException ex)
    {
        var record = new ErrorRecord(ex, ex.ErrorId, Map(ex.Kind), ex.Target);
        var remedy = FindingRemedies.Of(ex);
        record.ErrorDetails = new ErrorDetails(remedy is null ? ex.Message : $"{ex.Message} {remedy}") { RecommendedAction = remedy };
        return record;
    }

    internal static ErrorCategory Map(ErrorKind kind) => kind switch
    {
        ErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.InvalidData => ErrorCategory.InvalidData,
        ErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        ErrorKind.SecurityError => ErrorCategory.SecurityError,
        ErrorKind.NotInstalled => ErrorCategory.NotInstalled,
        ErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        ErrorKind.OperationStopped => ErrorCategory.OperationStopped,
        ErrorKind.WriteError => ErrorCategory.WriteError,
        _ => ErrorCategory.NotSpecified,
    };

    private void WriteNotFound(string path, string errorId)
    {
        var ex = new ItemNotFoundException($"Cannot find '{path}': no such file or folder.");
        WriteError(new ErrorRecord(ex, errorId, ErrorCategory.ObjectNotFound, path));
    }

    private bool IsFileSystem(ProviderInfo provider, string path)
    {
        if (string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        WriteError(new ErrorRecord(
            new ArgumentException($"'{path}' is on the {provider.Name} provider; MdaiClara reads files and folders only."),
            "PathNotFileSystem", ErrorCategory.InvalidArgument, path));
        return false;
    }
}
