using Microsoft.Extensions.Logging;

namespace Molt.Loading;

/// <summary>What every generation's context is given by the engine.</summary>
/// <param name="Services">The host's services.</param>
/// <param name="State">The way to the persistent state.</param>
/// <param name="Time">The clock for timers.</param>
/// <param name="Logger">Where failures of module callbacks are logged.</param>
internal sealed record ContextServices(IServiceProvider Services, IStateAccess State, TimeProvider Time, ILogger Logger);
