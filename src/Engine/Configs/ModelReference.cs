namespace MdaiClara.Engine.Configs;

public enum ModelReferenceKind
{
    TorchScript,
    Checkpoint,
    TensorFlow,
}

/// <summary>One entry of a config's <c>model</c> (ts_path / ckpt_path) or a 3.x <c>model_loader</c>.</summary>
public sealed record ModelReference(ModelReferenceKind Kind, string? RawPath, string? ResolvedPath, bool Disabled, string File, string JsonPointer, SourceLocation? Location)
{
    public override string ToString() => $"{Kind}: {ResolvedPath ?? RawPath}{(Disabled ? " [disabled]" : string.Empty)}";
}
