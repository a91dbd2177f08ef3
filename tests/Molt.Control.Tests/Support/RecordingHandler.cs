using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Molt.Control.Tests;

/// <summary>Records every request and, unless told otherwise, echoes its command and arguments back.</summary>
internal sealed class RecordingHandler : IControlHandler
{
    public ConcurrentQueue<ControlRequest> Received { get; } = new();

    public Func<ControlRequest, CancellationToken, Task<ControlReply>>? Behaviour { get; set; }

    public Task<ControlReply> HandleAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        Received.Enqueue(request);
        if (Behaviour is { } behaviour)
        {
            return behaviour(request, cancellationToken);
        }

        return Task.FromResult(ControlReply.Success(new JsonObject
        {
            ["command"] = request.Command,
            ["arguments"] = request.Arguments.DeepClone(),
        }));
    }
}
