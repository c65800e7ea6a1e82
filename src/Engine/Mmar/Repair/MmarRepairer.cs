using System;
using System.IO;
using System.Threading;
using MdaiClara.Engine.Errors;

namespace MdaiClara.Engine.Mmar.Repair;

/// <summary>
/// Repair-Mmar's engine: plans the repair of an analysed MMAR (<see cref="MmarRepairPlanner"/>), checks where it may
/// be written, and writes the repaired MMAR as a whole (<see cref="MmarCopyWriter"/>). A copy goes to a destination
/// folder that does not exist yet (or is replaced when asked); in place means the MMAR's own folder is swapped for the
/// repaired one. A zipped MMAR is only ever copied out to a folder.
/// </summary>
public static class MmarRepairer
{
    /// <summary>The folder the repair would write, after the checks that need no writing; throws when it may not.</summary>
    public static string ResolveTarget(MmarAnalysis analysis, MmarRepairOptions options)
    {
        var source = analysis.Source;
        var root = source is FolderMmarSource folder ? Trim(Path.GetFullPath(folder.RootPath)) : null;
        if (options.InPlace)
        {
            if (root is null)
            {
                throw new MdaiClaraException($"{source.Location} is a zipped MMAR; it cannot be repaired in place. Repair it into a folder instead.",
                    ErrorIds.MmarRepairRefused, ErrorKind.InvalidArgument, source.Location);
            }

            return root;
        }

        if (string.IsNullOrWhiteSpace(options.Destination))
        {
            throw new MdaiClaraException("No destination folder was given for the repaired copy.", ErrorIds.MmarRepairDestinationInvalid, ErrorKind.InvalidArgument, source.Location);
        }

        var target = Trim(Path.GetFullPath(options.Destination));
        if (File.Exists(target))
        {
            throw new MdaiClaraException($"{target} is a file; the repaired MMAR is written as a folder.", ErrorIds.MmarRepairDestinationInvalid, ErrorKind.InvalidArgument, target);
        }

        var zip = source.Kind == MmarSourceKind.Zip ? Trim(Path.GetFullPath(source.Location)) : null;
        if (root is not null && (Same(target, root) || Inside(target, root) || Inside(root, target)))
        {
            throw new MdaiClaraException(
                Same(target, root) ? $"{target} is the MMAR itself; a copy needs another folder (repairing in place must be asked for)."
                    : $"{target} and the MMAR at {root} contain one another; write the repaired copy beside the MMAR, not inside it or around it.",
                ErrorIds.MmarRepairDestinationInvalid, ErrorKind.InvalidArgument, target);
        }

        if (zip is not null && Inside(zip, target))
        {
            throw new MdaiClaraException($"{target} holds the zipped MMAR {zip}; write the repaired copy elsewhere.", ErrorIds.MmarRepairDestinationInvalid, ErrorKind.InvalidArgument, target);
        }

        if (Directory.Exists(target) && !options.Force)
        {
            throw new MdaiClaraException($"{target} already exists; the repaired copy is written to a new folder (replacing an existing one must be asked for).",
                ErrorIds.MmarRepairDestinationExists, ErrorKind.WriteError, target);
        }

        return target;
    }

    public static MmarRepair Repair(MmarAnalysis analysis, MmarRepairPlan plan, MmarRepairOptions options, CancellationToken cancellationToken = default)
    {
        var target = ResolveTarget(analysis, options);
        if (!(options.InPlace && plan.IsEmpty))
        {
            MmarCopyWriter.Write(analysis.Source, plan, target, cancellationToken);
        }

        return new MmarRepair { Source = analysis.Source.Location, Destination = target, InPlace = options.InPlace, Changes = plan.Changes };
    }

    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) : path;

    private static StringComparison PathComparison => OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static bool Same(string a, string b) => string.Equals(a, b, PathComparison);

    /// <summary>True when <paramref name="path"/> lies under <paramref name="folder"/>.</summary>
    private static bool Inside(string path, string folder) => path.StartsWith(folder + Path.DirectorySeparatorChar, PathComparison);
}
