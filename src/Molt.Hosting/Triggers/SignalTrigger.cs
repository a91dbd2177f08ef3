using System.Runtime.InteropServices;

namespace Molt.Hosting.Triggers;

/// <summary>
/// Reloads on <c>SIGUSR1</c> and <c>SIGHUP</c>. A signal only records a request, so a storm of them
/// collapses into one or two reloads and never runs anything on the signal thread.
/// </summary>
/// <remarks>
/// The registrations outlive <see cref="Dispose"/> on purpose: the default action of both signals
/// terminates the process, and a signal that arrives while the host is stopping must not turn a
/// graceful stop into a crash. After disposal a signal is simply ignored.
/// </remarks>
internal sealed class SignalTrigger : IDisposable
{
    private static readonly List<PosixSignalRegistration> s_registrations = [];
    private ReloadScheduler? _scheduler;

    public SignalTrigger(ReloadScheduler scheduler)
    {
        _scheduler = scheduler;
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // SIGUSR1 has no PosixSignal member: .NET accepts the raw number (10 on Linux, 30 on macOS and BSD).
        var usr1 = (PosixSignal)(OperatingSystem.IsLinux() ? 10 : 30);
        foreach (var signal in new[] { usr1, PosixSignal.SIGHUP })
        {
            var registration = PosixSignalRegistration.Create(signal, context =>
            {
                // Cancel the default action, which for both signals terminates the process.
                context.Cancel = true;
                Volatile.Read(ref _scheduler)?.Request("signal");
            });
            lock (s_registrations)
            {
                s_registrations.Add(registration);
            }
        }
    }

    public void Dispose() => Volatile.Write(ref _scheduler, null);
}
