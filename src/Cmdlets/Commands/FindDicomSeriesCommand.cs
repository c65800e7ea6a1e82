using System.Management.Automation;
using MdaiClara.Engine.Networking;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Finds series on a PACS (QIDO-RS).</para>
/// <para type="description">Asks the PACS for the series that match every filter given: modality, patient ID (DICOM
/// wildcards * and ?), study date or date range, accession number, study or series UID. Studies from Find-DicomStudy
/// can be piped in (their connection and Study Instance UID bind). -Limit and -Offset page through a large answer.
/// Each series is an MdaiClara.DicomSeries (UIDs, patient, study date, modality, number, description, instance count)
/// that carries its connection, so it can be piped to Receive-DicomSeries. Credentials refused or a server that
/// cannot be reached stop the command.</para>
/// <example><code>Find-DicomSeries -Connection pacs -Modality CT -StudyDate 20240101-</code>
/// <para>Lists the CT series of studies from 1 January 2024 on.</para></example>
/// <example><code>Find-DicomStudy -Connection pacs -PatientID PHANTOM0001 | Find-DicomSeries | Format-Table</code>
/// <para>Lists the series of each study of one patient.</para></example>
/// </summary>
[Cmdlet(VerbsCommon.Find, "DicomSeries")]
[OutputType(typeof(DicomSeries))]
public sealed class FindDicomSeriesCommand : DicomCmdlet
{
    /// <summary><para type="description">The PACS: a name from New-DicomWebConnection or New-DicomConnection (DIMSE, C-FIND) -Name, or the connection object (bound from piped studies).</para></summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [DicomConnection]
    [ArgumentCompleter(typeof(DicomConnectionCompleter))]
    public IDicomConnection Connection { get; set; } = null!;

    /// <summary><para type="description">The series' modality, e.g. CT.</para></summary>
    [Parameter]
    public string? Modality { get; set; }

    /// <summary><para type="description">Patient ID; * and ? are wildcards.</para></summary>
    [Parameter]
    public string? PatientID { get; set; }

    /// <summary><para type="description">A study date or range: 20261201 (that day), 20261201- (from), -20261231 (until), 20261201-20261231.</para></summary>
    [Parameter]
    public string? StudyDate { get; set; }

    /// <summary><para type="description">Accession number of the study; * and ? are wildcards.</para></summary>
    [Parameter]
    public string? AccessionNumber { get; set; }

    /// <summary><para type="description">Only series of this study (bound from piped studies).</para></summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? StudyInstanceUID { get; set; }

    /// <summary><para type="description">Series Instance UID.</para></summary>
    [Parameter]
    public string? SeriesInstanceUID { get; set; }

    /// <summary><para type="description">At most this many series (per study piped in).</para></summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Limit { get; set; }

    /// <summary><para type="description">Skip this many series first (with -Limit: the next page).</para></summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Offset { get; set; }

    protected override void ProcessRecord() => WriteSearchResults(
        Connection,
        () => new DicomQuery
        {
            PatientId = PatientID,
            StudyDate = StudyDate is null ? null : DicomDateRange.Parse(StudyDate),
            Modality = Modality,
            AccessionNumber = AccessionNumber,
            StudyInstanceUid = StudyInstanceUID,
            SeriesInstanceUid = SeriesInstanceUID,
            Limit = Limit,
            Offset = Offset,
        },
        (connection, query, token) => connection.FindSeries(query, Log, token),
        TypeNames.DicomSeries);
}
