using LLama.Native;
using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Scheduling;

/// <summary>A validated request with its prompt already tokenized (on the caller's thread, not the loop's).</summary>
internal sealed record PreparedRequest(GenerationRequest Request, LLamaToken[] PromptTokens);
