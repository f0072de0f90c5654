namespace Takeoff.Tests.Integration.Deploy;

/// <summary>
/// scripts/scale-test.sh with a short load: three replicas behind HAProxy, one drained by SIGTERM (nothing lost),
/// restarted (it rejoins), and one killed (the control: its cut streams are detected, the others carry on). The
/// replicas are the Takeoff.Api.dll this test run built, so CI builds nothing more. Needs haproxy (.ci/run installs it).
/// </summary>
internal sealed class ScaleTests
{
    [Test]
    public async Task ThreeReplicasBehindHaproxy_DrainLosesNothing_RestartRejoins_KillIsDetectedAndRoutedAround()
    {
        var (exitCode, output) = await DeployScripts.RunAsync("scale-test.sh", TimeSpan.FromSeconds(150), new Dictionary<string, string>
        {
            ["TAKEOFF_SERVER_DLL"] = Path.Combine(AppContext.BaseDirectory, "Takeoff.Api.dll"),
            ["REQUESTS"] = "300",
        });
        TestContext.Out.WriteLine(output);

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("scale test: every expectation held"));
        Assert.That(output, Does.Match(@"the SIGKILL cut [1-9]\d* of r2's streams"), "the control must see cut-off streams");
    }
}
