using System.Diagnostics;
using System.Globalization;

namespace Molt.Cli.Tests;

/// <summary><c>molt restart</c> on <c>molt run</c> itself: a new process of the CLI takes over, with the persistent state.</summary>
public sealed class RunRestartTests
{
    // The load hook counts the starts of the module in persistent state: 1 in a fresh process,
    // one more in every process a hot restart hands the state to.
    private const string Module = """
        public static class Starts
        {
            [Persistent] public static int Count { get; set; }
        }

        public sealed class Boot : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                Starts.Count++;
                Console.WriteLine($"STARTS pid={Environment.ProcessId} count={Starts.Count}");
                return ValueTask.CompletedTask;
            }
        }
        """;

    [Fact]
    public async Task MoltRestartReplacesMoltRunWithANewProcessThatCarriesThePersistentCounterAndRestartsAgain()
    {
        using var workspace = new TempWorkspace();
        workspace.Write("boot.cs", Module);
        var socket = Path.Combine(workspace.RuntimeDirectory, "fixed", "molt.sock");
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-watch", "--socket", socket);
        var pids = new List<int> { molt.Id };
        try
        {
            await molt.WaitForLineAsync(l => l == $"STARTS pid={molt.Id} count=1");

            // By SIGUSR2 first: the new process says who it is on the shared standard output.
            molt.Signal(12);
            var started = await molt.WaitForLineAsync(l => l.StartsWith("STARTS pid=", StringComparison.Ordinal) && l.EndsWith(" count=2", StringComparison.Ordinal));
            var second = int.Parse(started["STARTS pid=".Length..started.IndexOf(' ', "STARTS pid=".Length)], CultureInfo.InvariantCulture);
            pids.Add(second);
            Assert.NotEqual(molt.Id, second);
            await WaitForGoneAsync(molt.Id);
            // Read from the shared output, which may arrive after the process is gone.
            await molt.WaitForLineAsync(l => l == "molt: stopped");
            // The fixed control socket went over with it: the same path reaches the new process.
            var status = await MoltTool.RunAsync(workspace.RuntimeDirectory, "status", "--socket", socket, "--json");
            Assert.Equal(second, status.Json["pid"]!.GetValue<int>());

            // Then by molt restart, through the same fixed socket.
            var third = await RestartAsync(workspace, molt, second, "--socket", socket);
            pids.Add(third);
            await molt.WaitForLineAsync(l => l == $"STARTS pid={third} count=3");
            Assert.Equal(third, (await MoltTool.RunAsync(workspace.RuntimeDirectory, "status", "--socket", socket, "--json")).Json["pid"]!.GetValue<int>());
            Assert.Single(molt.Lines, l => l.StartsWith($"{MoltRunReady(second)}", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var pid in pids.Skip(1))
            {
                Kill(pid);
            }
        }
    }

    [Fact]
    public async Task ANewMoltRunThatCannotLoadItsModulesLeavesTheOldOneServingOnTheSameFixedSocket()
    {
        using var workspace = new TempWorkspace();
        var boot = workspace.Write("boot.cs", Module);
        var socket = Path.Combine(workspace.RuntimeDirectory, "fixed", "molt.sock");
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--no-watch", "--socket", socket);

        // The new process adopts the control socket, then fails to compile the module and stops.
        File.WriteAllText(boot, Module.Replace("Starts.Count++;", "Starts.Count++", StringComparison.Ordinal));
        var restart = await MoltTool.RunAsync(workspace.RuntimeDirectory, "restart", "--socket", socket, "--json");

        Assert.Equal(1, restart.ExitCode);
        Assert.False(restart.Json["ok"]!.GetValue<bool>());
        Assert.Contains("exited with code 1 before it was ready", restart.Json["error"]!.GetValue<string>(), StringComparison.Ordinal);
        // Its stop left the socket file to the old process, which still serves on it.
        Assert.True(File.Exists(socket));
        var status = await MoltTool.RunAsync(workspace.RuntimeDirectory, "status", "--socket", socket, "--json");
        Assert.True(status.ExitCode == 0, $"{status}\n{molt.Transcript}");
        Assert.Equal(molt.Id, status.Json["pid"]!.GetValue<int>());
    }

    /// <summary>Runs <c>molt restart</c>, checks its reply and that the old process exits; returns the new process's id.</summary>
    private static async Task<int> RestartAsync(TempWorkspace workspace, MoltRunProcess molt, int oldPid, params string[] target)
    {
        var restart = await MoltTool.RunAsync(workspace.RuntimeDirectory, ["restart", .. target, "--json"]);
        Assert.True(restart.ExitCode == 0, $"{restart}\n{molt.Transcript}");
        var reply = restart.Json;
        Assert.True(reply["ok"]!.GetValue<bool>(), restart.ToString());
        Assert.Equal(oldPid, reply["pid"]!.GetValue<int>());
        var newPid = reply["newPid"]!.GetValue<int>();
        Assert.NotEqual(oldPid, newPid);
        await WaitForGoneAsync(oldPid);
        return newPid;
    }

    private static string MoltRunReady(int pid) => $"molt: ready: pid {pid}, ";

    private static async Task WaitForGoneAsync(int pid)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Process);
        while (IsAlive(pid))
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }
}
