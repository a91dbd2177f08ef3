using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Molt.Control;

/// <summary>The one reply to a request: <c>{"id": …, "ok": true, "result": …}</c> or <c>{"id": …, "ok": false, "error": {…}}</c>.</summary>
public sealed class ControlReply
{
    private ControlReply(bool ok, JsonNode? result, ControlError? error, JsonNode? id)
    {
        Ok = ok;
        Result = result;
        Error = error;
        Id = id;
    }

    /// <summary>Gets whether the request succeeded.</summary>
    public bool Ok { get; }

    /// <summary>Gets the result of a successful request (an empty object is sent when this is <see langword="null"/>).</summary>
    public JsonNode? Result { get; }

    /// <summary>Gets the error of a failed request.</summary>
    public ControlError? Error { get; }

    /// <summary>Gets the id of the request this answers, as read by <see cref="ControlClient"/> (the server always echoes the request's id).</summary>
    public JsonNode? Id { get; }

    /// <summary>Reads the result as one of the contract's records.</summary>
    /// <typeparam name="T">The record, such as <see cref="ReloadReply"/>.</typeparam>
    /// <param name="typeInfo">Its serialization, from <see cref="ControlJson"/>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="InvalidOperationException">The request failed: the reply has no result.</exception>
    /// <exception cref="ControlException">The result is not a <typeparamref name="T"/> (a member is missing or has the wrong type).</exception>
    public T ReadResult<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (!Ok)
        {
            throw new InvalidOperationException($"The request failed ({Error?.Code}), so the reply has no result.");
        }

        try
        {
            return Result.Deserialize(typeInfo) ?? throw new ControlException($"The reply's result is not a {typeof(T).Name}: it is null.");
        }
        catch (JsonException ex)
        {
            throw new ControlException($"The reply's result is not a {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    /// <summary>Creates a successful reply.</summary>
    /// <param name="result">The result; <see langword="null"/> sends an empty object.</param>
    /// <returns>The reply.</returns>
    internal static ControlReply Success(JsonNode? result = null) => new(true, result, null, null);

    /// <summary>Creates a successful reply whose result is one of the contract's records.</summary>
    /// <returns>The reply.</returns>
    internal static ControlReply Success<T>(T result, JsonTypeInfo<T> typeInfo) => Success(JsonSerializer.SerializeToNode(result, typeInfo));

    /// <summary>Creates a failed reply.</summary>
    /// <param name="code">A stable error code (see <see cref="ControlErrorCodes"/>; handlers may add their own).</param>
    /// <param name="message">A human-readable explanation.</param>
    /// <returns>The reply.</returns>
    internal static ControlReply Failure(string code, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentNullException.ThrowIfNull(message);
        return new(false, null, new ControlError(code, message), null);
    }

    internal ControlReply WithId(JsonNode? id) => new(Ok, Result, Error, id);
}
