namespace Molt.Control;

/// <summary>The host's side of the control channel: answers each request the server receives.</summary>
/// <remarks>
/// The server calls the handler for known commands only, one request at a time per connection
/// (connections run concurrently). An exception from the handler becomes an
/// <see cref="ControlErrorCodes.InternalError"/> reply; it never stops the server.
/// </remarks>
internal interface IControlHandler
{
    /// <summary>Handles one request.</summary>
    /// <param name="request">The request; its <see cref="ControlRequest.Command"/> is one of <see cref="ControlCommands"/>.</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    /// <returns>The reply to send.</returns>
    Task<ControlReply> HandleAsync(ControlRequest request, CancellationToken cancellationToken);
}
