namespace Molt.Control;

/// <summary>The <c>error</c> member of a failed reply.</summary>
/// <param name="Code">A stable code, usually one of <see cref="ControlErrorCodes"/>.</param>
/// <param name="Message">A human-readable explanation.</param>
public sealed record ControlError(string Code, string Message);
