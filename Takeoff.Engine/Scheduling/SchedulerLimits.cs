using Takeoff.Engine.Sampling;

namespace Takeoff.Engine.Scheduling;

/// <summary>Capacity of one model's scheduler.</summary>
/// <param name="MaxBatchSize">Sequences decoded together (slots).</param>
/// <param name="MaxQueue">Requests allowed to wait for a slot.</param>
/// <param name="ContextSize">Context window of each sequence.</param>
/// <param name="RequestTimeout">How long a request may take from arrival to its end before it is stopped; null: no limit.</param>
/// <param name="PrefillChunk">Prompt tokens decoded per step, so that running streams keep flowing during a long prefill.</param>
/// <param name="SlotSimilarity">The part of a prompt a slot's cached prefix must cover for the slot to be chosen for
/// it (llama-server's --slot-prompt-similarity); otherwise the least recently used slot is taken.</param>
/// <param name="TimeSlice">How long a sequence keeps its slot while others wait for one; null: until it ends.</param>
/// <param name="Grammar">The loop time a constrained choice's grammar may take; <see cref="GrammarBudget.Default"/> when null.</param>
internal sealed record SchedulerLimits(int MaxBatchSize, int MaxQueue, int ContextSize, TimeSpan? RequestTimeout = null,
    int PrefillChunk = 256, double SlotSimilarity = 0.5, TimeSpan? TimeSlice = null, GrammarBudget? Grammar = null);
