namespace MdaiClara.Engine.Mdai;

/// <summary>
/// The Python type a JSON node stands for when it plays the part of a value a model's <c>predict</c> returned.
/// MD.ai's validator compares exact types (<c>type(v) in [...]</c>), so bool is not int and int is not float.
/// </summary>
internal enum PythonType
{
    /// <summary>None (JSON null).</summary>
    None,

    /// <summary>bool (JSON true/false).</summary>
    Bool,

    /// <summary>int (a JSON number without '.', 'e' or 'E', as Python's json module reads it).</summary>
    Int,

    /// <summary>float (any other JSON number, and NaN/Infinity).</summary>
    Float,

    /// <summary>str.</summary>
    Str,

    /// <summary>bytes (only from CLR byte arrays; JSON cannot hold bytes).</summary>
    Bytes,

    /// <summary>list (a JSON array).</summary>
    List,

    /// <summary>dict (a JSON object).</summary>
    Dict,

    /// <summary>Some other object (a CLR value with no Python counterpart); no type check accepts it.</summary>
    Other,
}
