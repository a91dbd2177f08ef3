namespace Molt.Control;

/// <summary>The stable <c>error.code</c> values a control server replies with.</summary>
public static class ControlErrorCodes
{
    /// <summary>The line was not valid UTF-8 or not valid JSON (including JSON nested deeper than the limit).</summary>
    public const string ParseError = "parse_error";

    /// <summary>The line was JSON but not a request: not an object, or no string <c>command</c>.</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>The <c>command</c> is not one of <see cref="ControlCommands"/>.</summary>
    public const string UnknownCommand = "unknown_command";

    /// <summary>The line was longer than the server's limit; the server closes the connection after this reply.</summary>
    public const string RequestTooLarge = "request_too_large";

    /// <summary>The Unix socket peer runs as another user; the server closes the connection after this reply.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>A TCP request had a missing or wrong token; the server closes the connection after this reply.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The server had no room for another connection and every connection was busy.</summary>
    public const string Busy = "busy";

    /// <summary>The handler threw, or returned something that could not be sent.</summary>
    public const string InternalError = "internal_error";

    /// <summary>The server stopped while the request was being handled.</summary>
    public const string ShuttingDown = "shutting_down";
}
