using Takeoff.Engine.Errors;

namespace Takeoff.Api.Hosting.Errors;

/// <summary>
/// How one API names the engine's inputs on its wire. Each endpoint carries one as metadata (its API's attribute),
/// so that an engine refusal names the field the client actually sent.
/// </summary>
public interface IWireNames
{
    /// <summary>The wire name of <paramref name="input"/>, or null where this API has no such field.</summary>
    string? NameOf(EngineInput input);
}
