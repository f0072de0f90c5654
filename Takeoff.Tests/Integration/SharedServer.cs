namespace Takeoff.Tests.Integration;

/// <summary>One default-configured server shared by the integration tests that need no special limits.</summary>
[SetUpFixture]
internal sealed class SharedServer
{
    private static TakeoffServer? _server;

    public static TakeoffServer Instance => _server ?? throw new InvalidOperationException("The shared server is not running.");

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await TakeoffServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
