using Takeoff.Engine.Sampling;

namespace Takeoff.Engine.Scheduling;

/// <summary>How long a request may hold the server, the same for every reader (from the engine's options).</summary>
/// <param name="Timeout">From arrival to its last token, after which it is stopped; null: no limit.</param>
/// <param name="TimeSlice">How long a sequence keeps its slot while others wait for one; null: until it ends.</param>
/// <param name="Grammar">The loop time a constrained choice's grammar may take.</param>
internal sealed record RequestPolicy(TimeSpan? Timeout, TimeSpan? TimeSlice, GrammarBudget Grammar);
