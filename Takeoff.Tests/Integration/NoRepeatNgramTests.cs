using Takeoff.Engine;
using Takeoff.Engine.Generation;

namespace Takeoff.Tests.Integration;

/// <summary>
/// no_repeat_ngram_size checked on token ids: the HTTP answer is compared with the engine's own token stream
/// for the same greedy request, whose ids are then searched for a repeated bigram.
/// </summary>
internal sealed class NoRepeatNgramTests
{
    private const string Prompt = "Once upon a time";

    [Test]
    public async Task NoRepeatNgramSize2_NoBigramRepeats()
    {
        var server = SharedServer.Instance;
        var overHttp = await server.Client.GenerateAsync(new { text = Prompt, max_new_tokens = 150, no_repeat_ngram_size = 2 });
        var plain = await server.Client.GenerateAsync(new { text = Prompt, max_new_tokens = 150 });

        var request = new GenerationRequest
        {
            Prompts = [new Prompt.Text(Prompt)], Target = "primary", MaxTokens = 150,
            Sampling = new() { TopK = 1, NoRepeatNgramSize = 2 },
        };
        var choice = (await server.Service<InferenceEngine>().CompleteAsync(request, CancellationToken.None)).Choices.Single();
        var tokens = choice.Tokens.Select(t => t.Id).ToList();

        Assert.That(choice.Text, Is.EqualTo(overHttp["text"]!.GetValue<string>()));
        Assert.That(choice.Text, Is.Not.EqualTo(plain["text"]!.GetValue<string>()), "greedy stories repeat bigrams; blocking must change them");
        var bigrams = tokens.Zip(tokens.Skip(1)).ToList();
        Assert.That(bigrams, Is.Unique);
        Assert.That(tokens, Has.Count.GreaterThan(20));
    }
}
