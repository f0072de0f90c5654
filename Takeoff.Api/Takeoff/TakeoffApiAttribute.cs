using Takeoff.Api.Hosting;
using Takeoff.Api.Hosting.Security;

namespace Takeoff.Api.Takeoff;

/// <summary>Marks the Takeoff endpoints: the inference port, the inference API's keys, problem-details errors.</summary>
public sealed class TakeoffApiAttribute() : ApiAttribute(ServedOn.InferencePort, ApiKeys.Inference)
{
    public override IErrorWriter Errors => ProblemDetailsErrors.Instance;
}
