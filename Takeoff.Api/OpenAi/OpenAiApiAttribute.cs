using Takeoff.Api.Hosting;
using Takeoff.Api.Hosting.Security;

namespace Takeoff.Api.OpenAi;

/// <summary>
/// Marks the OpenAI-compatible endpoints (/v1): served on the inference port and the OpenAI port, the inference API's
/// keys, errors in OpenAI's shape.
/// </summary>
public sealed class OpenAiApiAttribute() : ApiAttribute(ServedOn.InferencePort | ServedOn.OpenAiPort, ApiKeys.Inference)
{
    public override IErrorWriter Errors => OpenAiErrors.Instance;
}
