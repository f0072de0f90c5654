using Takeoff.Engine.Generation;
using Takeoff.Engine.Readers;

namespace Takeoff.Tests.Engine.Readers;

/// <summary>The gate both kinds of model share: memory is freed only after the calls on it end.</summary>
internal sealed class ModelLeaseTests
{
    // Mutations: CloseAsync returning at once fails the first assertion; Enter without the _closed check runs the
    // late call instead of refusing it.
    [Test]
    public async Task Close_WaitsForAnAsyncCallInProgress_ThenRefusesNewOnes()
    {
        var lease = new ModelLease("m", TimeProvider.System);
        var release = new TaskCompletionSource<int>();
        var call = lease.UseAsync(() => release.Task);

        var closing = lease.CloseAsync();
        await Task.Delay(50);
        Assert.That(closing.IsCompleted, Is.False, "closed under a call still using the model");
        release.SetResult(7);

        Assert.That(await call, Is.EqualTo(7));
        await closing.WaitAsync(TimeSpan.FromSeconds(5));
        var refusal = Assert.Throws<EngineException>(() => lease.Use(() => 1))!;
        Assert.That(refusal.Error, Is.EqualTo(EngineError.NotReady));
        Assert.That(refusal.Message, Does.Contain("'m' was removed"));
    }
}
