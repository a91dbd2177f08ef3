using System.Text.Json.Nodes;

namespace Molt.Control;

/// <summary>What <see cref="RequestParser"/> made of one line: a request, or the error to reply with.</summary>
/// <param name="Request">The request, when the line was a valid one.</param>
/// <param name="Id">The request's id, echoed in the reply.</param>
/// <param name="Token">The request's <c>token</c> member, when it was a string.</param>
/// <param name="Error">Why the line is not a valid request.</param>
/// <param name="IsObject">Whether the line was at least a JSON object, so that a TCP token could be checked.</param>
internal readonly record struct ParsedRequest(ControlRequest? Request, JsonNode? Id, string? Token, ControlError? Error, bool IsObject)
{
    public static ParsedRequest Failed(string code, string message) =>
        new(null, null, null, new ControlError(code, message), IsObject: false);

    public static ParsedRequest Invalid(string code, string message, JsonNode? id, string? token) =>
        new(null, id, token, new ControlError(code, message), IsObject: true);
}
