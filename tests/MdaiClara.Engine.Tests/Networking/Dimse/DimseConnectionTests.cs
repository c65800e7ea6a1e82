using System;
using System.Threading;
using MdaiClara.Engine.Errors;
using MdaiClara.Engine.Networking;
using MdaiClara.Engine.Networking.Dimse;
using Xunit;

namespace MdaiClara.Engine.Tests.Networking.Dimse;

/// <summary>The DIMSE connection as an IDicomConnection: its identity, and the operations not carried yet say so by ErrorId.</summary>
public sealed class DimseConnectionTests
{
    private static DimseConnection Pacs() => new("pacs", new DimseEndpoint("pacs.example.org", 104, "PACS", "MDAICLARA", TimeSpan.FromSeconds(5)));

    [Fact]
    public void EndpointNamesHostPortAndBothAeTitles()
    {
        using IDicomConnection connection = Pacs();
        Assert.Equal(DicomTransport.Dimse, connection.Transport);
        Assert.Equal("PACS@pacs.example.org:104 as MDAICLARA", connection.Endpoint);
    }
}
