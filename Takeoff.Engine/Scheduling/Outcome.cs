using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Scheduling;

/// <summary>How a sequence leaves the scheduler: what its client is told and what the request log records.</summary>
internal abstract record Outcome
{
    private Outcome()
    {
    }

    /// <summary>It finished by itself (end of text, length, stop sequence): <paramref name="Summary"/> is its last chunk's.</summary>
    public sealed record Finished(GenerationSummary Summary) : Outcome;

    /// <summary>The server ended it early (its deadline, a drain's end): its text so far, finished as stopped.</summary>
    public sealed record Stopped : Outcome;

    /// <summary>Its client went away (or a sibling choice failed).</summary>
    public sealed record Cancelled : Outcome;

    /// <summary>It failed while it ran: its client gets <paramref name="Error"/>.</summary>
    public sealed record Failed(Exception Error) : Outcome;

    /// <summary>It never got to run (the scheduler stopped first): its client gets <paramref name="Error"/>; nothing is logged.</summary>
    public sealed record Refused(Exception Error) : Outcome;

    public static readonly Outcome Stop = new Stopped();

    public static readonly Outcome Cancel = new Cancelled();
}
