namespace Molt;

public sealed partial class MoltOptions
{
    /// <summary>
    /// Gets or sets whether module compiles go to a compile server: one process per user and Molt
    /// build (<c>Molt.CompileServer</c>), shared by every engine of that user, started on first need
    /// and stopping after 10 idle minutes. Its compiler stays jitted and tiered up across host
    /// restarts, so an edit right after a start costs what an edit in a long-running host does. The
    /// server listens on a Unix socket in the user's private socket directory and answers only
    /// processes of the same user. Whatever happens to it (not found, crashed, hung, unreadable
    /// answer) the compile runs in-process instead, with the same result; a reload never fails
    /// because of the server.
    /// </summary>
    /// <remarks>
    /// Linux only; elsewhere compiles always run in-process. The server's program must be beside the
    /// host (see <see cref="CompileServerPath"/>): a host gets it by referencing the
    /// <c>Molt.CompileServer</c> package; the <c>molt</c> tool ships it and <c>molt run</c> sets this to Auto.
    /// </remarks>
    /// <value>The default is <see cref="CompileServerMode.Off"/>.</value>
    public CompileServerMode CompileServer { get; set; } = CompileServerMode.Off;

    /// <summary>
    /// Gets or sets the compile server's program: its <c>Molt.CompileServer.dll</c> (run on the host's
    /// <c>dotnet</c>) or an executable.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: the <c>MOLT_COMPILE_SERVER</c> environment variable,
    /// else <c>Molt.CompileServer.dll</c> beside the engine's assembly or the application's.
    /// </value>
    public string? CompileServerPath { get; set; }

    /// <summary>
    /// Gets or sets how long a compile waits for the server to start and take the request, and
    /// then how long the server may stay silent: while it compiles it sends a heartbeat several
    /// times per timeout (only while it uses CPU), so a long compile of a large module is waited
    /// for, while a server that hangs, is stopped or deadlocks is given up after this long. Then
    /// the compile runs in-process and this engine stops asking the server.
    /// </summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan CompileServerTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the server's socket instead of the default one (tests only).</summary>
    internal string? CompileServerSocket { get; set; }

    /// <summary>Gets or sets how long a server this engine starts stays up without compiles (tests shorten it).</summary>
    internal TimeSpan CompileServerIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
