using System;
using System.Collections.Generic;
using MdaiClara.Engine.Inference.Inferers;

namespace MdaiClara.Engine.Tests.Inference.Inferers;

/// <summary>Records progress reports synchronously on the reporting thread (unlike <see cref="Progress{T}"/>).</summary>
internal sealed class RecordingProgress : IProgress<InferenceProgress>
{
    private readonly Action<InferenceProgress>? _onReport;

    public RecordingProgress(Action<InferenceProgress>? onReport = null) => _onReport = onReport;

    public List<InferenceProgress> Reports { get; } = new();

    public void Report(InferenceProgress value)
    {
        Reports.Add(value);
        _onReport?.Invoke(value);
    }
}
