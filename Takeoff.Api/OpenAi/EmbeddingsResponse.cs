using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Takeoff.Api.OpenAi;

/// <summary>Answer of <c>POST /v1/embeddings</c>: one embedding per input, in input order.</summary>
public sealed record EmbeddingsResponse(IReadOnlyList<EmbeddingData> Data, string Model, EmbeddingsUsage Usage)
{
    [JsonPropertyName("object")]
    public string Kind => "list";
}

/// <param name="Embedding">A list of floats, or with encoding_format "base64" their little-endian float32 bytes in base64.</param>
public sealed record EmbeddingData(int Index, object Embedding)
{
    [JsonPropertyName("object")]
    public string Kind => "embedding";

    /// <remarks>The bytes are the machine's own order, which is little-endian on every platform .NET runs on here.</remarks>
    public static EmbeddingData From(int index, float[] vector, bool base64) => new(index,
        base64 ? Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())) : vector);
}

public sealed record EmbeddingsUsage(int PromptTokens, int TotalTokens);
