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

        var generator = server.Service<TextGenerator>();
        var request = new GenerationRequest
        {
            Prompt = Prompt, MaxNewTokens = 150, Sampling = new() { NoRepeatNgramSize = 2 },
        };
        var tokens = new List<int>();
        var text = "";
        await foreach (var piece in generator.Stream(request, CancellationToken.None))
        {
            text += piece.Text;
            if (piece.TokenId is { } id)
                tokens.Add(id);
        }

        Assert.That(text, Is.EqualTo(overHttp["text"]!.GetValue<string>()));
        Assert.That(text, Is.Not.EqualTo(plain["text"]!.GetValue<string>()), "greedy stories repeat bigrams; blocking must change them");
        var bigrams = tokens.Zip(tokens.Skip(1)).ToList();
        Assert.That(bigrams, Is.Unique);
        Assert.That(tokens, Has.Count.GreaterThan(20));
    }
}
