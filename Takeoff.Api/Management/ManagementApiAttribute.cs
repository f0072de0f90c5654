using Takeoff.Api.Hosting;
using Takeoff.Api.Hosting.Security;

namespace Takeoff.Api.Management;

/// <summary>Marks the management API: the management port only, the management key, problem-details errors.</summary>
public sealed class ManagementApiAttribute() : ApiAttribute(ServedOn.ManagementPort, ApiKeys.Management)
{
    public override IErrorWriter Errors => ProblemDetailsErrors.Instance;
}
