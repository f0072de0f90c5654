namespace Takeoff.Engine.Errors;

/// <summary>A prompt too long for the context window: the window, and the prompt's tokens ("1234", or "at least 1234" when it was not tokenized whole).</summary>
public sealed record ContextOverflow(int ContextSize, string PromptTokens);
