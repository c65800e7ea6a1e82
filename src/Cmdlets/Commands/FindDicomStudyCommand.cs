using System.Management.Automation;
using MdaiClara.Engine.Networking;

namespace MdaiClara.Cmdlets.Commands;

/// <summary>
/// <para type="synopsis">Finds studies on a PACS (QIDO-RS).</para>
/// <para type="description">Asks the PACS for the studies that match every filter given: patient ID (DICOM wildcards
/// * and ?), study date or date range, a modality in the study, accession number, Study Instance UID. -Limit and
/// -Offset page through a large answer. Each study is an MdaiClara.DicomStudy (UID, patient, date, accession,
/// description, modalities, series and instance counts) that carries its connection, so it can be piped to
/// Find-DicomSeries. Credentials refused or a server that cannot be reached stop the command.</para>
/// <example><code>Find-DicomStudy -Connection pacs -PatientID PHANTOM0001</code>
/// <para>Lists the studies of one patient.</para></example>
/// <example><code>Find-DicomStudy -Connection pacs -StudyDate 20240101- -Modality CT -Limit 10 | Format-Table</code>
/// <para>Lists at most 10 studies with CT images from 1 January 2024 on.</para></example>
/// <example><code>Find-DicomStudy -Connection pacs-dimse -PatientID PHANTOM0001 | Find-DicomSeries</code>
/// <para>The same search over classic DICOM networking (C-FIND, a connection from New-DicomConnection), then the series of what it found.</para></example>
/// </summary>
[Cmdlet(VerbsCommon.Find, "DicomStudy")]
[OutputType(typeof(DicomStudy))]
public sealed class FindDicomStudyCommand : DicomCmdlet
{
    /// <summary><para type="description">The PACS: a name from New-DicomWebConnection or New-DicomConnection (DIMSE, C-FIND) -Name, or the connection object.</para></summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [DicomConnection]
    [ArgumentCompleter(typeof(DicomConnectionCompleter))]
    public IDicomConnection Connection { get; set; } = null!;

    /// <summary><para type="description">Patient ID; * and ? are wildcards.</para></summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? PatientID { get; set; }

    /// <summary><para type="description">A study date or range: 20261201 (that day), 20261201- (from), -20261231 (until), 20261201-20261231.</para></summary>
    [Parameter]
    public string? StudyDate { get; set; }

    /// <summary><para type="description">A modality the study has (ModalitiesInStudy), e.g. CT.</para></summary>
    [Parameter]
    public string? Modality { get; set; }

    /// <summary><para type="description">Accession number; * and ? are wildcards.</para></summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? AccessionNumber { get; set; }

    /// <summary><para type="description">Study Instance UID.</para></summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? StudyInstanceUID { get; set; }

    /// <summary><para type="description">At most this many studies.</para></summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Limit { get; set; }

    /// <summary><para type="description">Skip this many studies first (with -Limit: the next page).</para></summary>
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
            Limit = Limit,
            Offset = Offset,
        },
        (connection, query, token) => connection.FindStudies(query, Log, token),
        TypeNames.DicomStudy);
}
