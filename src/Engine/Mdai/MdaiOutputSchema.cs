using System.Collections.Generic;

namespace MdaiClara.Engine.Mdai;

/// <summary>
/// What MD.ai's model server (mdai/model-deploy, mdai/validation.py, API 0.3) allows in an output dict: the output
/// types and their required keys, each key's Python types, the data shapes, and the note and image_output_tags keys.
/// </summary>
internal static class MdaiOutputSchema
{
    /// <summary>The output types, in MD.ai's order, with the keys each requires.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string[]>> RequiredKeys = new[]
    {
        Pair("NONE", "study_uid"),
        Pair("ANNOTATION", "study_uid", "class_index"),
        Pair("IMAGE", "study_uid", "class_index", "images"),
        Pair("DICOM", "study_uid", "class_index", "images"),
        Pair("TEXT", "study_uid"),
    };

    /// <summary>Every key MD.ai knows, with the exact Python types it accepts (in MD.ai's order, for its messages).</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, PythonType[]>> KeyTypes = new[]
    {
        Types("type", PythonType.Str),
        Types("study_uid", PythonType.Str),
        Types("series_uid", PythonType.Str, PythonType.None),
        Types("instance_uid", PythonType.Str, PythonType.None),
        Types("video_frame_number", PythonType.Int, PythonType.None),
        Types("frame_number", PythonType.Int, PythonType.None),
        Types("class_index", PythonType.Int),
        Types("data", PythonType.Dict, PythonType.None),
        Types("probability", PythonType.Float, PythonType.List, PythonType.None),
        Types("explanations", PythonType.List, PythonType.None),
        Types("note", PythonType.Str, PythonType.Dict, PythonType.None),
        Types("images", PythonType.List, PythonType.None),
        Types("image_output_tags", PythonType.Dict, PythonType.None),
    };

    /// <summary>
    /// The data shapes: data's key set must equal one of them. The value types are checked with isinstance, so an
    /// int key also takes a bool; Int here means that, List means a list.
    /// </summary>
    public static readonly IReadOnlyList<DataShape> DataShapes = new[]
    {
        new DataShape("point", ("x", PythonType.Int), ("y", PythonType.Int)),
        new DataShape("box", ("x", PythonType.Int), ("y", PythonType.Int), ("width", PythonType.Int), ("height", PythonType.Int)),
        new DataShape("vertices", ("vertices", PythonType.List)),
        new DataShape("mask", ("mask", PythonType.List)),
        new DataShape("video_series_interval", ("start_frame_number", PythonType.Int), ("end_frame_number", PythonType.Int)),
    };

    /// <summary>The keys a dict note may have; both values must be str.</summary>
    public static readonly string[] NoteKeys = { "input", "output" };

    /// <summary>The keys image_output_tags may have; every value must be str.</summary>
    public static readonly string[] ImageOutputTagKeys = { "PatientID", "StudyInstanceUID", "SeriesInstanceUID" };

    public static string[]? RequiredKeysOf(string type)
    {
        foreach (var (name, keys) in RequiredKeys)
        {
            if (name == type)
            {
                return keys;
            }
        }

        return null;
    }

    public static PythonType[]? TypesOf(string key)
    {
        foreach (var (name, types) in KeyTypes)
        {
            if (name == key)
            {
                return types;
            }
        }

        return null;
    }

    private static KeyValuePair<string, string[]> Pair(string type, params string[] keys) => new(type, keys);

    private static KeyValuePair<string, PythonType[]> Types(string key, params PythonType[] types) => new(key, types);
}

/// <summary>One of MD.ai's data shapes: a name and its exact key set with each key's type.</summary>
internal sealed class DataShape
{
    public DataShape(string name, params (string Key, PythonType Type)[] keys)
    {
        Name = name;
        Keys = keys;
    }

    public string Name { get; }

    public IReadOnlyList<(string Key, PythonType Type)> Keys { get; }

    public PythonType? TypeOf(string key)
    {
        foreach (var (name, type) in Keys)
        {
            if (name == key)
            {
                return type;
            }
        }

        return null;
    }

    public override string ToString()
    {
        var names = new string[Keys.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = Keys[i].Key;
        }

        return Name + " {" + string.Join(", ", names) + "}";
    }
}
