using EncSpike;

switch (args.FirstOrDefault())
{
    case "hotreload": HotReload.Run(); break;
    case "delta": Delta.Run(int.Parse(args[1]), Enum.Parse<Microsoft.CodeAnalysis.OptimizationLevel>(args[2])); break;
    case "kinds": Delta.Kinds(Enum.Parse<Microsoft.CodeAnalysis.OptimizationLevel>(args[1])); break;
    case "scc": Scc.Run(int.Parse(args[1])); break;
    case "scc-dir": Scc.RunDir(args[1]); break;
    case "unit": Unit.Run(); break;
    case "merge": Merge.Run(int.Parse(args[1])); break;
    default: Console.WriteLine("usage: hotreload | delta <files> <Debug|Release> | kinds <Debug|Release> | scc <files> | merge"); break;
}
