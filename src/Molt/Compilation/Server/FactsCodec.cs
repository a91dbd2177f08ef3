using Molt.Packages;

namespace Molt.Compilation.Server;

/// <summary>
/// Encodes a module's <see cref="ModuleFacts"/> in a scan reply; decoding is strict, like the rest
/// of the protocol. The problems' module name is the host's, given when decoding.
/// </summary>
internal static class FactsCodec
{
    public static MessageWriter Facts(this MessageWriter w, ModuleFacts facts)
    {
        w.Int32(facts.Dependencies.Length);
        foreach (var (module, at) in facts.Dependencies)
        {
            w.String(module).Spot(at);
        }

        w.Int32(facts.Packages.Length);
        foreach (var package in facts.Packages)
        {
            w.String(package.Id).String(package.Version).Bool(package.At is not null);
            if (package.At is { } at)
            {
                w.Spot(at);
            }
        }

        return w.Diagnostics(facts.Problems);
    }

    public static MessageWriter Diagnostics(this MessageWriter w, IReadOnlyCollection<ModuleDiagnostic> diagnostics)
    {
        w.Int32(diagnostics.Count);
        foreach (var d in diagnostics)
        {
            w.NullableString(d.File).Int32(d.Line).Int32(d.Column).String(d.Id).Byte((byte)d.Severity).String(d.Message);
        }

        return w;
    }

    public static ModuleFacts ReadFacts(this MessageReader r, string module)
    {
        var dependencies = Enumerable.Range(0, r.ReadCount(13)).Select(_ => new DeclaredDependency(r.ReadString(), r.ReadSpot())).ToArray();
        var packages = Enumerable.Range(0, r.ReadCount(9))
            .Select(_ => new PackageRequest(r.ReadString(), r.ReadString(), r.ReadBool() ? r.ReadSpot() : null))
            .ToArray();
        return new ModuleFacts([.. dependencies], [.. packages], [.. r.ReadDiagnostics(module)]);
    }

    public static ModuleDiagnostic[] ReadDiagnostics(this MessageReader r, string module) =>
        [.. Enumerable.Range(0, r.ReadCount(19)).Select(_ => ReadDiagnostic(r, module))];

    private static MessageWriter Spot(this MessageWriter w, SourceSpot at) => w.NullableString(at.File).Int32(at.Line).Int32(at.Column);

    private static SourceSpot ReadSpot(this MessageReader r)
    {
        var (file, line, column) = (r.ReadNullableString(), r.ReadInt32(), r.ReadInt32());
        return line < 0 || column < 0 ? throw new CompileProtocolException($"Malformed reply: a position {line}:{column}.") : new SourceSpot(file, line, column);
    }

    private static ModuleDiagnostic ReadDiagnostic(MessageReader r, string module)
    {
        var (file, line, column, id) = (r.ReadNullableString(), r.ReadInt32(), r.ReadInt32(), r.ReadString());
        var severity = r.ReadByte() switch
        {
            (byte)DiagnosticSeverity.Error => DiagnosticSeverity.Error,
            (byte)DiagnosticSeverity.Warning => DiagnosticSeverity.Warning,
            (byte)DiagnosticSeverity.Info => DiagnosticSeverity.Info,
            var b => throw new CompileProtocolException($"Malformed reply: {b} is not a severity."),
        };
        return new ModuleDiagnostic(module, file, line, column, id, severity, r.ReadString());
    }
}
