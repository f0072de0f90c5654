using Takeoff.Engine.Errors;

namespace Takeoff.Api.Hosting;

/// <summary>
/// How a request names the engine's inputs on the wire: each request contract implements it for the fields it read (an
/// alias by the name the client sent), so that an engine refusal names the field the client actually sent.
/// </summary>
public interface IWireNames
{
    /// <summary>The wire name of <paramref name="input"/>, or null where this request has no such field.</summary>
    string? NameOf(EngineInput input);
}
