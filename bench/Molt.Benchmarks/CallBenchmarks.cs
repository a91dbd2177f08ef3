using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Molt.Benchmarks;

/// <summary>
/// Item 1: the cost of one call into a module, through each kind of entry point, against a plain
/// delegate into the same collectible code (the baseline), interface calls and <see cref="MethodInfo.Invoke(object?, object?[])"/>.
/// Each benchmark makes <see cref="Calls"/> calls, so the figures are per call.
/// </summary>
[MemoryDiagnoser]
public class CallBenchmarks
{
    private const int Calls = 100;

    private const string Module = """
        public static class Calc
        {
            [Export] public static int Add(int x) => x + 1;
        }

        [Export]
        public sealed class CalcService : Molt.Benchmarks.ICalc
        {
            public int Apply(int x) => x + 1;
        }
        """;

    private string _root = string.Empty;
    private MoltEngine _engine = null!;
    private Func<int, int> _plain = null!;
    private EntryPoint<Func<int, int>> _entry = null!;
    private ServiceEntryPoint<ICalc> _service = null!;
    private ICalc _moduleInstance = null!;
    private ICalc _hostInstance = null!;
    private MethodInfo _method = null!;
    private object?[] _args = null!;

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "molt-bench", "calls-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "calc.cs"), Module);
        var options = new MoltOptions();
        options.ModuleDirectories.Add(_root);
        _engine = new MoltEngine(options);
        _engine.StartAsync().GetAwaiter().GetResult();
        _entry = _engine.GetEntryPoint<Func<int, int>>("calc", "Add");
        _service = _engine.GetService<ICalc>("calc");
        _plain = _entry.Current;
        _moduleInstance = _service.Current;
        _hostInstance = new HostCalc();
        _method = _plain.Method;
        _args = [1];
        if (!_plain.Method.DeclaringType!.Assembly.IsCollectible)
        {
            throw new InvalidOperationException("The baseline must call into collectible code.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls, Description = "plain delegate into collectible code")]
    public int PlainDelegate()
    {
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += _plain(i);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "EntryPoint.Current(x)")]
    public int EntryPointCurrent()
    {
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += _entry.Current(i);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "EntryPoint.Enter() lease (tracked call)")]
    public int EntryPointEnter()
    {
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            using var lease = _entry.Enter();
            sum += lease.Target(i);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "ServiceEntryPoint.Current.Apply(x)")]
    public int ServiceCurrent()
    {
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += _service.Current.Apply(i);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "ServiceEntryPoint.Enter() lease (tracked call)")]
    public int ServiceEnter()
    {
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            using var lease = _service.Enter();
            sum += lease.Target.Apply(i);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "direct interface call on the module's instance")]
    public int ModuleInterface()
    {
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += _moduleInstance.Apply(i);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "direct interface call on a host class")]
    public int HostInterface()
    {
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += _hostInstance.Apply(i);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "MethodInfo.Invoke")]
    public int MethodInfoInvoke()
    {
        var sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += (int)_method.Invoke(null, _args)!;
        }

        return sum;
    }
}
