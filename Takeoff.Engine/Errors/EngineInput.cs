namespace Takeoff.Engine.Errors;

/// <summary>
/// Which input of a request the engine refused, in the engine's own terms. Each API names these as its wire does
/// (the prompt is "text" to Takeoff, "messages" or "prompt" to OpenAI).
/// </summary>
public enum EngineInput
{
    /// <summary>The consumer group or model name a request is routed by.</summary>
    Target,

    /// <summary>A reader id.</summary>
    Reader,

    /// <summary>The prompt: too long for the context window, or empty.</summary>
    Prompt,

    /// <summary>The chat messages, or the chat template that should format them.</summary>
    Messages,

    /// <summary>Token ids or pieces given instead of text.</summary>
    Tokens,

    /// <summary>The stop sequences.</summary>
    StopSequences,

    /// <summary>How many choices to generate per prompt.</summary>
    Choices,

    /// <summary>How many alternatives to report with each token's log-probability.</summary>
    Logprobs,

    /// <summary>Biases added to chosen tokens' logits.</summary>
    LogitBias,

    /// <summary>The most tokens to generate.</summary>
    MaxTokens,

    /// <summary>The fewest tokens to generate before end-of-generation is allowed.</summary>
    MinTokens,

    /// <summary>The longest prompt kept before truncation.</summary>
    PromptMaxTokens,

    Temperature,
    TopK,
    TopP,
    MinP,
    RepetitionPenalty,
    PresencePenalty,
    FrequencyPenalty,
    NoRepeatNgramSize,

    /// <summary>The model a reader should load.</summary>
    ModelSource,

    /// <summary>The JSON Schema the output must follow (or the request for any JSON object).</summary>
    JsonSchema,

    /// <summary>The regular expression the output must fully match.</summary>
    Regex,

    /// <summary>The GBNF grammar the output must follow.</summary>
    Grammar,

    /// <summary>The functions a conversation offers the model (their names and parameter schemas).</summary>
    Tools,

    /// <summary>Whether, and which, tool the model must call.</summary>
    ToolChoice,

    /// <summary>The weight type a reader should quantize its model to.</summary>
    Quantize,

    /// <summary>The element type of a reader's KV cache.</summary>
    KvCacheType,

    /// <summary>A reader's slots: sequences decoded together.</summary>
    MaxBatchSize,

    /// <summary>A reader's context window per sequence.</summary>
    ContextSize,

    /// <summary>How many requests a reader may queue.</summary>
    MaxQueue,

    /// <summary>A reader's CPU threads.</summary>
    Threads,

    /// <summary>Layers a reader offloads to the GPU.</summary>
    GpuLayers,
}
