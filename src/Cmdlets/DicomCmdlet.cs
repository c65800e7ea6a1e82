using System;
using System.Collections.Generic;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking;

namespace MdaiClara.Cmdlets;

/// <summary>
/// The base of the PACS commands: a failure that concerns the whole connection (credentials or AE title refused, server not
/// reachable or silent) stops the command, since every further input would fail the same way; anything else concerns one input
/// and the pipeline goes on.
/// </summary>
public abstract class DicomCmdlet : ClaraCmdlet
{
    protected void ReportNetworkError(MdaiClaraException ex)
    {
        if (ex.Kind == ErrorKind.SecurityError || ex.ErrorId is ErrorIds.DicomWebUnreachable or ErrorIds.DicomConnectionInvalid or ErrorIds.DicomQueryInvalid
            or ErrorIds.DimseUnreachable or ErrorIds.DimseTimeout or ErrorIds.DimseNoPresentationContext or ErrorIds.DimseListenFailed)
        {
            ThrowEngineError(ex);
        }

        WriteEngineError(ex);
    }

    /// <summary>
    /// Runs one search on the connection (on a worker) and emits each result, tagged with the type name of its view, as
    /// soon as it arrives; stopping the pipeline early ends the search (DIMSE: C-CANCEL). The query is made inside the
    /// guard, so a malformed filter is reported like any other search error.
    /// </summary>
    protected void WriteSearchResults<T>(IDicomConnection connection, Func<DicomQuery> makeQuery,
        Func<IDicomConnection, DicomQuery, CancellationToken, IEnumerable<T>> search, string typeName)
        where T : notnull
    {
        try
        {
            var query = makeQuery();
            StreamFromWorker(token => search(connection, query, token), found => WriteObject(TypeNames.Tag(found, typeName)));
        }
        catch (MdaiClaraException ex)
        {
            ReportNetworkError(ex);
        }
        catch (Exception ex) when (IsUnexpected(ex))
        {
            WriteUnexpectedError(ex, connection.Name);
        }
    }
}
