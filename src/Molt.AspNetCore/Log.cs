using Microsoft.Extensions.Logging;

namespace Molt.AspNetCore;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "This runtime's System.Text.Json has no ClearCaches method: JSON metadata of module types cached by the host's JsonOptions may keep retired generations in memory (reported as leaks).")]
    public static partial void CannotClearJsonCaches(ILogger logger);
}
