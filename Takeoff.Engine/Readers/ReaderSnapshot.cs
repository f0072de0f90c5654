using Takeoff.Engine.Models;

namespace Takeoff.Engine.Readers;

/// <summary>A reader as it was at one instant, for listings and health.</summary>
/// <param name="Entry">Its effective configuration: the models.json entry plus the overrides it was started with.</param>
/// <param name="Device">Where its layers run once loaded; the requested device before.</param>
/// <param name="Error">Why the load failed, for a dead reader.</param>
/// <param name="ActiveSequences">Sequences holding a batch slot.</param>
/// <param name="QueuedSequences">Sequences waiting for a slot.</param>
/// <param name="Facts">What the loaded model holds (file, weight type, KV cache); null until it is loaded.</param>
public sealed record ReaderSnapshot(
    string Id,
    ModelEntry Entry,
    ReaderState State,
    string? Error,
    ComputeDevice Device,
    int ActiveSequences,
    int QueuedSequences,
    ModelFacts? Facts);
