using Takeoff.Engine.Generation;

namespace Takeoff.Tests.Engine.Generation;

/// <summary>Tokens come out with the text that makes them visible, and the tokens of a stop sequence never do.</summary>
internal sealed class ChoiceTextTests
{
    private static GenerationSummary Summary => new(1, 1, FinishReason.Length, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    private static int[] Ids(GenerationChunk chunk) => chunk.Tokens.Select(t => t.Id).ToArray();

    [Test]
    public void HeldText_ItsTokenWaitsWithIt()
    {
        var text = new ChoiceText(0, 0, ["\n\n"]);

        var first = text.Add(new GeneratedToken(1), "Hi\n");
        var second = text.Add(new GeneratedToken(2), "there");

        Assert.That((first.Text, Ids(first)), Is.EqualTo(("Hi", Array.Empty<int>())));
        Assert.That((second.Text, Ids(second)), Is.EqualTo(("\nthere", new[] { 1, 2 })));
    }

    [Test]
    public void StopSpanningTwoTokens_TokensThatShowTextStay_TheRestAreDropped()
    {
        var text = new ChoiceText(0, 0, ["END"]);

        var first = text.Add(new GeneratedToken(1), "ok E");
        var stopped = text.Add(new GeneratedToken(2), "ND!");
        var last = text.Finish(Summary);

        Assert.That(text.Stopped, Is.True);
        Assert.That((first.Text, Ids(first)), Is.EqualTo(("ok ", Array.Empty<int>())), "token 1's \"E\" may start the stop");
        Assert.That((stopped.Text, Ids(stopped)), Is.EqualTo(("", new[] { 1 })), "token 1 showed \"ok \"; token 2 only the stop");
        Assert.That((last.Text, Ids(last)), Is.EqualTo(("", Array.Empty<int>())));
        Assert.That(last.Summary, Is.Not.Null);
    }

    [Test]
    public void PartialCharacterToken_ReleasedWithTheCharacter()
    {
        var text = new ChoiceText(0, 0, []);

        var partial = text.Add(new GeneratedToken(7), "");
        var whole = text.Add(new GeneratedToken(8), "é");

        Assert.That(Ids(partial), Is.EqualTo(new[] { 7 }), "an empty piece is visible at once: nothing of it is held");
        Assert.That((whole.Text, Ids(whole)), Is.EqualTo(("é", new[] { 8 })));
    }

    [Test]
    public void Finish_ReleasesAPartialStopAsText_WithItsTokens()
    {
        var text = new ChoiceText(3, 1, ["STOP"]);

        var held = text.Add(new GeneratedToken(5), "a ST");
        var last = text.Finish(Summary);

        Assert.That((held.Choice, held.Prompt, held.Text, Ids(held)), Is.EqualTo((3, 1, "a ", Array.Empty<int>())));
        Assert.That((last.Choice, last.Prompt, last.Text, Ids(last)), Is.EqualTo((3, 1, "ST", new[] { 5 })));
    }
}
