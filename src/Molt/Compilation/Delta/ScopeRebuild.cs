namespace Molt.Compilation.Delta;

/// <summary>
/// Rebuilds a PDB's LocalScope, LocalVariable and LocalConstant tables with the updated methods'
/// scopes taken from a delta. Scopes are sorted by method, start offset and length (longest
/// first), and each owns the run of variables and constants up to the next scope's, so the tables
/// are written again in that order and the ids that moved are recorded for the debug information
/// that points at them.
/// </summary>
internal sealed class ScopeRebuild(MetadataImage merged, MetadataImage delta, Rebase rebase, DeltaMethods methods, int[] imports)
{
    private const int LocalScope = 0x32;
    private const int LocalVariable = 0x33;
    private const int LocalConstant = 0x34;

    private readonly Dictionary<(int Table, int Id), int> _old = [];
    private readonly Dictionary<(int Table, int Id), int> _delta = [];

    /// <summary>The new id of a merged row (null when it belonged to an updated method and is gone).</summary>
    public int? OldToNew(int table, int id) => _old.TryGetValue((table, id), out var now) ? now : null;

    /// <summary>The new id of a delta row.</summary>
    public int DeltaToNew(int table, int id) =>
        _delta.TryGetValue((table, id), out var now) ? now : throw new BadImageFormatException($"the PDB delta points at row {id} of table 0x{table:X2}, which it lacks");

    public void Run()
    {
        var scopes = new List<(uint[] Row, bool FromDelta, int Id, List<uint[]> Variables, List<uint[]> Constants)>();
        Collect(merged, fromDelta: false, scopes, row => !methods.Ids.Contains(row[0]), row => row);
        Collect(delta, fromDelta: true, scopes, _ => true, row => rebase.Row(LocalScope, row) is var moved && (moved[0] = methods.ByDeltaNumber[(int)row[0]]) > 0 ? moved : throw new BadImageFormatException("a PDB delta scope names no method"));

        var variables = new List<uint[]>();
        var constants = new List<uint[]>();
        var newScopes = new List<uint[]>();
        foreach (var scope in scopes.OrderBy(s => s.Row[0]).ThenBy(s => s.Row[4]).ThenByDescending(s => s.Row[5]))
        {
            var map = scope.FromDelta ? _delta : _old;
            var row = (uint[])scope.Row.Clone();
            row[2] = (uint)variables.Count + 1;
            row[3] = (uint)constants.Count + 1;
            if (scope.FromDelta)
            {
                row[1] = row[1] == 0 ? 0 : (uint)imports[row[1]];
            }

            Place(scope.Variables, variables, LocalVariable, (int)scope.Row[2], map);
            Place(scope.Constants, constants, LocalConstant, (int)scope.Row[3], map);
            newScopes.Add(row);
            map[(LocalScope, scope.Id)] = newScopes.Count;
        }

        merged.Tables[LocalScope] = newScopes;
        merged.Tables[LocalVariable] = variables;
        merged.Tables[LocalConstant] = constants;
    }

    private static void Place(List<uint[]> rows, List<uint[]> into, int table, int firstId, Dictionary<(int, int), int> map)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            into.Add(rows[i]);
            map[(table, firstId + i)] = into.Count;
        }
    }

    /// <summary>Adds the kept scopes of <paramref name="image"/>, each with the variables and constants it owns.</summary>
    private void Collect(
        MetadataImage image,
        bool fromDelta,
        List<(uint[] Row, bool FromDelta, int Id, List<uint[]> Variables, List<uint[]> Constants)> into,
        Func<uint[], bool> keep,
        Func<uint[], uint[]> convert)
    {
        var rows = image.Rows(LocalScope);
        var variables = image.Rows(LocalVariable);
        var constants = image.Rows(LocalConstant);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            int End(int column, int total) => i + 1 < rows.Count ? (int)rows[i + 1][column] - 1 : total;
            var ownVariables = variables[((int)row[2] - 1)..End(2, variables.Count)];
            var ownConstants = constants[((int)row[3] - 1)..End(3, constants.Count)];
            if (keep(row))
            {
                var converted = convert(row);
                into.Add((converted, fromDelta, i + 1,
                    fromDelta ? [.. ownVariables.Select(v => rebase.Row(LocalVariable, v))] : ownVariables,
                    fromDelta ? [.. ownConstants.Select(v => rebase.Row(LocalConstant, v))] : ownConstants));
            }
        }
    }
}

/// <summary>The methods a PDB delta updates: their real MethodDef ids, and the real id of each of the delta's own method numbers (its MethodDebugInformation rows, in EncMap order).</summary>
internal sealed record DeltaMethods(HashSet<uint> Ids, uint[] ByDeltaNumber);
