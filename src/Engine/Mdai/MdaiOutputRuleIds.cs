namespace MdaiClara.Engine.Mdai;

/// <summary>
/// The stable rule names of <see cref="MdaiOutputValidator"/>. The first group is what MD.ai's model server rejects
/// (Severity Error); the second is extra checks MD.ai does not make (Severity Warning).
/// </summary>
public static class MdaiOutputRuleIds
{
    /// <summary>predict did not return a list.</summary>
    public const string OutputNotList = "OutputNotList";

    /// <summary>An element of the returned list is not a dict.</summary>
    public const string OutputNotDict = "OutputNotDict";

    /// <summary>'type' is missing or not one of NONE, ANNOTATION, IMAGE, DICOM, TEXT.</summary>
    public const string TypeUnknown = "TypeUnknown";

    /// <summary>A key the output's type requires (study_uid; class_index; images) is missing.</summary>
    public const string RequiredKeyMissing = "RequiredKeyMissing";

    /// <summary>A key MD.ai does not know; any unknown key makes MD.ai fail.</summary>
    public const string KeyNotAllowed = "KeyNotAllowed";

    /// <summary>A key's value has a Python type MD.ai does not allow for it (exact type: bool is not int).</summary>
    public const string ValueTypeInvalid = "ValueTypeInvalid";

    /// <summary>data's key set is none of point, box, vertices, mask, video_series_interval.</summary>
    public const string DataShapeInvalid = "DataShapeInvalid";

    /// <summary>A data value has the wrong type (x not an int, mask not a list…).</summary>
    public const string DataValueTypeInvalid = "DataValueTypeInvalid";

    /// <summary>data.mask fails MD.ai's check of mask[0] (a list) and mask[0][0] (int or float).</summary>
    public const string MaskInvalid = "MaskInvalid";

    /// <summary>data.vertices fails MD.ai's check of the first vertex ([x, y], int or float).</summary>
    public const string VerticesInvalid = "VerticesInvalid";

    /// <summary>A dict note has a key other than input/output, or a value that is not a str.</summary>
    public const string NoteInvalid = "NoteInvalid";

    /// <summary>image_output_tags has a key other than PatientID/StudyInstanceUID/SeriesInstanceUID, or a value that is not a str.</summary>
    public const string ImageOutputTagsInvalid = "ImageOutputTagsInvalid";

    /// <summary>Strict (Warning): a mask row or value past mask[0][0] is wrong, or the mask is empty. MD.ai checks only mask[0][0].</summary>
    public const string MaskElementsInvalid = "MaskElementsInvalid";

    /// <summary>Strict (Warning): a vertex past the first is wrong, or there are no vertices. MD.ai checks only the first vertex.</summary>
    public const string VerticesElementsInvalid = "VerticesElementsInvalid";

    /// <summary>Strict (Warning): a probability outside 0..1, or a probability list element that is not {class_index: int, probability: number}.</summary>
    public const string ProbabilityInvalid = "ProbabilityInvalid";

    /// <summary>Strict (Warning): an explanations element that is not {name, description, content, content_type}.</summary>
    public const string ExplanationsInvalid = "ExplanationsInvalid";

    /// <summary>Instance sizes given (Warning): the mask is not Rows × Columns of its instance.</summary>
    public const string MaskSizeMismatch = "MaskSizeMismatch";

    /// <summary>Instance sizes given (Warning): the mask's instance_uid is missing or not among the given instances.</summary>
    public const string MaskInstanceUnknown = "MaskInstanceUnknown";
}
