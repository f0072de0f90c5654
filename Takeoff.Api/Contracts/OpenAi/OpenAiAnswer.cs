namespace Takeoff.Api.Contracts.OpenAi;

/// <summary>What every object of one answer repeats: its id, when it was made, and the model asked for.</summary>
public sealed record OpenAiAnswer(string Id, long Created, string Model)
{
    public static OpenAiAnswer Start(string prefix, TimeProvider time, string model) =>
        new($"{prefix}-{Guid.NewGuid():N}", time.GetUtcNow().ToUnixTimeSeconds(), model);
}
