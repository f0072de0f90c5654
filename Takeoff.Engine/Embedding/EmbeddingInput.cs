namespace Takeoff.Engine.Embedding;

/// <summary>One input to embed: text (tokenized with a beginning-of-sequence token), or token ids taken as they are.</summary>
public abstract record EmbeddingInput
{
    private EmbeddingInput()
    {
    }

    public sealed record Text(string Value) : EmbeddingInput;

    public sealed record Tokens(IReadOnlyList<int> Ids) : EmbeddingInput;
}
