using Microsoft.Extensions.DependencyInjection;
using Takeoff.Engine.Scheduling;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Integration;

/// <summary>
/// min_new_tokens against a model that wants to stop at once: stories260K never samples end-of-sequence by itself
/// (llama2.c separated its stories with BOS), so the decoder seam makes EOS by far the most likely token.
/// </summary>
internal sealed class MinNewTokensTests
{
    [Test]
    public async Task EagerToEnd_WithoutMinimum_EndsAtOnce_WithMinimum_GeneratesExactlyThatMany_ThenEnds()
    {
        var faults = new FaultyDecoders("eager") { EagerToEnd = true };
        await using var server = await TakeoffServer.StartWithModelsAsync(
            [TakeoffServer.Stories260K("eager", new { max_batch_size = 1 })], services: s => s.AddSingleton<IDecoderFactory>(faults));

        var free = await server.Client.GenerateAsync(new { text = "Once upon a time", max_new_tokens = 100, return_metadata = true });
        var held = await server.Client.GenerateAsync(new
        {
            text = "Once upon a time", max_new_tokens = 100, min_new_tokens = 20, return_metadata = true,
        });

        Assert.That(free["metadata"]!["finish_reason"]!.GetValue<string>(), Is.EqualTo("eos"));
        Assert.That(free["metadata"]!["generated_tokens"]!.GetValue<int>(), Is.Zero);
        Assert.That(held["metadata"]!["finish_reason"]!.GetValue<string>(), Is.EqualTo("eos"));
        Assert.That(held["metadata"]!["generated_tokens"]!.GetValue<int>(), Is.EqualTo(20));
        Assert.That(held["text"]!.GetValue<string>(), Is.Not.Empty);
    }
}
