namespace Takeoff.Tests.Integration.Constraints;

/// <summary>One server for the constrained-decoding tests: stories260K with the chatml fallback, 16 slots.</summary>
[SetUpFixture]
internal sealed class ConstrainedServer
{
    private static TakeoffServer? _server;

    public static TakeoffServer Instance => _server ?? throw new InvalidOperationException("The constrained server is not running.");

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await TakeoffServer.StartWithModelsAsync(
        [TakeoffServer.Stories260K("story", new { chat_template = "chatml", max_batch_size = 16 })]);

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
