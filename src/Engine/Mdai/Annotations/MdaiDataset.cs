using System.Collections.Generic;

namespace MdaiClara.Engine.Mdai.Annotations;

/// <summary>One dataset of an MD.ai export (mdai-contract §8.1): its id (D_…), name, type and studies.</summary>
public sealed record MdaiDataset(string Id, string? Name, string? Type, IReadOnlyList<MdaiStudy> Studies, int AnnotationCount);

/// <summary>A study of a dataset: its StudyInstanceUID and exam number within the project.</summary>
public sealed record MdaiStudy(string StudyInstanceUid, int? Number);
