using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Takeoff.Engine.Generation;
using Takeoff.Engine.Scheduling;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Engine.Scheduling;

/// <summary>
/// The loop's exits, driven through a scripted model (<see cref="ScriptedDecoder"/>): every way a sequence leaves
/// the scheduler, and what the client and the next request see of it.
/// </summary>
internal sealed class SchedulerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static Scheduler Scheduler(ScriptedDecoder decoder, int slots = 1, int contextSize = 64, TimeSpan? timeSlice = null,
        int maxQueue = 4) =>
        new(decoder, new SchedulerLimits(slots, maxQueue, contextSize, TimeSlice: timeSlice), Engines.Telemetry(),
            TimeProvider.System, NullLogger.Instance, crashed: _ => { });

    private static GenerationRequest Request(int? maxTokens = null, params string[] stop) => new()
    {
        Prompts = [new Prompt.Text("unused: the prompt is given as tokens")],
        Target = "test",
        MaxTokens = maxTokens,
        StopSequences = stop,
    };

    private static Task<GenerationResult> Complete(Scheduler scheduler, GenerationRequest request, string prompt = "a",
        CancellationToken cancellation = default)
    {
        var output = new CollectedOutput(1, cancellation);
        scheduler.Submit([Sequence(request, prompt, output)]);
        return output.Result;
    }

    private static StreamedOutput Stream(Scheduler scheduler, GenerationRequest request, string prompt, CancellationToken cancellation = default)
    {
        var output = new StreamedOutput(1, cancellation);
        scheduler.Submit([Sequence(request, prompt, output)]);
        return output;
    }

    private static Sequence Sequence(GenerationRequest request, string prompt, GenerationOutput output) =>
        new(request, 0, prompt.Select(ScriptedDecoder.Letter).ToArray(), grammar: null, output,
            [ScriptedDecoder.EndOfText], TimeProvider.System);

    /// <summary>Every choice of every prompt, as the causal model submits them: choice c continues prompt c / Choices.</summary>
    private static Sequence[] Sequences(GenerationRequest request, string[] prompts, GenerationOutput output) =>
        Enumerable.Range(0, prompts.Length * request.Choices)
            .Select(choice => new Sequence(request, choice, prompts[choice / request.Choices].Select(ScriptedDecoder.Letter).ToArray(),
                grammar: null, output, [ScriptedDecoder.EndOfText], TimeProvider.System))
            .ToArray();

    private static async Task<string> FirstText(StreamedOutput output)
    {
        await foreach (var chunk in output.Reader.ReadAllAsync())
        {
            if (chunk.Text.Length > 0)
                return chunk.Text;
        }
        throw new AssertionException("the stream ended without text");
    }

    private static async Task<string> ReadToEnd(StreamedOutput output)
    {
        var text = "";
        await foreach (var chunk in output.Reader.ReadAllAsync())
            text += chunk.Text;
        return text;
    }

    // Mutations: UsageTally counting every choice's prompt gives 10 prompt tokens; Sequence's Prompt as choice % Choices
    // gives prompts 0, 1, 0, 1.
    [Test]
    public async Task TwoPromptsOfTwoChoices_EachChoiceKnowsItsPrompt_AndUsageCountsEachPromptOnce()
    {
        await using var scheduler = Scheduler(new ScriptedDecoder(), slots: 4);
        var request = Request(maxTokens: 3) with { Choices = 2 };
        var output = new CollectedOutput(4, CancellationToken.None);

        scheduler.Submit(Sequences(request, ["ab", "abc"], output));
        var result = await output.Result.WaitAsync(Patience);

        Assert.That(result.Choices.Select(c => (c.Index, c.Prompt)), Is.EqualTo(new[] { (0, 0), (1, 0), (2, 1), (3, 1) }));
        Assert.That(result.Usage, Is.EqualTo(new GenerationUsage(PromptTokens: 2 + 3, GeneratedTokens: 4 * 3, CachedTokens: 0)));
        Assert.That(result.Usage.TotalTokens, Is.EqualTo(17));
    }

    // Mutation: attaching the usage to every choice's last chunk (not only when the last choice finishes) gives four.
    [Test]
    public async Task Streamed_OnlyTheRequestsLastChunkCarriesTheUsage_AndEveryChunkItsPrompt()
    {
        await using var scheduler = Scheduler(new ScriptedDecoder(), slots: 4);
        var request = Request(maxTokens: 3) with { Choices = 2 };
        var output = new StreamedOutput(4, CancellationToken.None);

        scheduler.Submit(Sequences(request, ["ab", "abc"], output));
        var chunks = new List<GenerationChunk>();
        await foreach (var chunk in output.Reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(Patience).Token))
            chunks.Add(chunk);

        Assert.That(chunks.Where(c => c.Usage is not null), Is.EqualTo(new[] { chunks[^1] }));
        Assert.That(chunks[^1].Usage, Is.EqualTo(new GenerationUsage(5, 12, 0)));
        Assert.That(chunks.Select(c => c.Prompt), Is.EqualTo(chunks.Select(c => c.Choice / 2)));
        Assert.That(chunks.Count(c => c.Summary is not null), Is.EqualTo(4));
    }

    // Mutation: without `if (decoder.IsEndOfGeneration(token)) return Finish(Eos)` in Sequence.Step it runs on to the
    // context's end ("cdefghij...", Length).
    /// <summary>
    /// A request that waits for the slot between two running ones (its prompt is cached there) is decoded in its slot's
    /// place, not last as it came: each batch is one run of consecutive sequence ids, one pass through the model.
    /// </summary>
    [Test]
    public async Task ALaterRequestInTheMiddleSlot_TheBatchStaysInSlotOrder()
    {
        var decoder = new ScriptedDecoder { StepDelay = TimeSpan.FromMilliseconds(2) };
        await using var scheduler = Scheduler(decoder, slots: 3, contextSize: 1_000);
        var first = Complete(scheduler, Request(maxTokens: 100));
        var middle = Complete(scheduler, Request(maxTokens: 2), "bcd");
        var third = Complete(scheduler, Request(maxTokens: 100));
        var later = Complete(scheduler, Request(maxTokens: 150), "bcdz");

        await Task.WhenAll(first, middle, third, later).WaitAsync(Patience);

        Assert.That(later.Result.Usage.CachedTokens, Is.EqualTo(3), "it took the middle slot, whose cache holds its prefix");
        Assert.That(decoder.MostRuns, Is.EqualTo(1));
    }

    [Test]
    public async Task EndOfText_FinishesAsEos_WithoutTheEndToken()
    {
        var decoder = new ScriptedDecoder { Next = token => token == ScriptedDecoder.Letter('d') ? ScriptedDecoder.EndOfText : token % 26 + 1 };
        await using var scheduler = Scheduler(decoder);

        var result = await Complete(scheduler, Request(), "ab").WaitAsync(Patience);

        var choice = result.Choices.Single();
        Assert.That(choice.Text, Is.EqualTo("cd"));
        Assert.That(choice.Summary.FinishReason, Is.EqualTo(FinishReason.Eos));
        Assert.That(choice.Summary.GeneratedTokens, Is.EqualTo(2));
        Assert.That(() => scheduler.ActiveCount, Is.Zero.After(2000, 10));
    }

    // Mutation: `_generated.Count > _request.MaxTokens` (for >=) in Sequence.Step gives "bcdef".
    [Test]
    public async Task MaxTokens_FinishesAsLength_WithExactlyThatMany()
    {
        await using var scheduler = Scheduler(new ScriptedDecoder());

        var result = await Complete(scheduler, Request(maxTokens: 4)).WaitAsync(Patience);

        Assert.That(result.Choices.Single().Text, Is.EqualTo("bcde"));
        Assert.That(result.Choices.Single().Summary.FinishReason, Is.EqualTo(FinishReason.Length));
    }

    // Mutation: `_slot!.Cached.Count > contextSize` (dropping the + 1) in Sequence.Step generates one token more, for a
    // cell the context does not have.
    [Test]
    public async Task FullContext_FinishesAsLength_WhenTheNextTokenHasNoCell()
    {
        await using var scheduler = Scheduler(new ScriptedDecoder(), contextSize: 6);

        var result = await Complete(scheduler, Request(), "ab").WaitAsync(Patience);

        // Six cells: the prompt's two and four generated tokens decoded; the fifth generated token would need a seventh.
        Assert.That(result.Choices.Single().Text, Is.EqualTo("cdefg"));
        Assert.That(result.Choices.Single().Summary.FinishReason, Is.EqualTo(FinishReason.Length));
    }

    // Mutation: without `if (_text.Stopped) return Finish(FinishReason.Stop)` in Sequence.Step the choice runs on to its
    // 20 tokens (and the matcher drops everything after the match, so only the reason and count tell).
    [Test]
    public async Task StopSequence_FinishesAsStop_WithoutTheMatch()
    {
        await using var scheduler = Scheduler(new ScriptedDecoder());

        var result = await Complete(scheduler, Request(20, "ef"), "a").WaitAsync(Patience);

        var choice = result.Choices.Single();
        Assert.That(choice.Text, Is.EqualTo("bcd"));
        Assert.That(choice.Summary.FinishReason, Is.EqualTo(FinishReason.Stop));
        Assert.That(choice.Summary.GeneratedTokens, Is.EqualTo(5));
    }

    // Mutation: without RetireCancelled() in Admit the cancelled sequence keeps the only slot and the next request
    // waits for ever.
    [Test]
    public async Task ClientGoesAway_FreesTheSlot_ForTheNextRequest()
    {
        var decoder = new ScriptedDecoder { StepDelay = TimeSpan.FromMilliseconds(2) };
        await using var scheduler = Scheduler(decoder, slots: 1, contextSize: 100_000);
        using var client = new CancellationTokenSource();
        var abandoned = Stream(scheduler, Request(), "a", client.Token);
        Assert.That(await FirstText(abandoned).WaitAsync(Patience), Is.EqualTo("b"));

        await client.CancelAsync();
        var next = await Complete(scheduler, Request(maxTokens: 2), "x").WaitAsync(Patience);

        Assert.That(next.Choices.Single().Text, Is.EqualTo("yz"));
        Assert.ThrowsAsync<OperationCanceledException>(async () => await ReadToEnd(abandoned));
        Assert.That(() => scheduler.ActiveCount, Is.Zero.After(2000, 10));
    }

    // Mutation: without `_endRemaining = true` in DrainAsync (or without StopAll() in the loop) the running request
    // is not ended: the drain takes its extra 10 s and the answer is not back.
    [Test]
    public async Task Drain_GraceExpires_EndsTheRunningRequestAsStopped_AndRefusesNewOnes()
    {
        var decoder = new ScriptedDecoder { StepDelay = TimeSpan.FromMilliseconds(2) };
        await using var scheduler = Scheduler(decoder, contextSize: 100_000);
        var running = Stream(scheduler, Request(), "a");
        var first = await FirstText(running).WaitAsync(Patience);

        var clock = Stopwatch.StartNew();
        await scheduler.DrainAsync(TimeSpan.FromMilliseconds(100)).WaitAsync(Patience);

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        var chunks = new List<GenerationChunk>();
        await foreach (var chunk in running.Reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(Patience).Token))
            chunks.Add(chunk);
        var text = first + string.Concat(chunks.Select(c => c.Text));
        Assert.That(chunks.Last().Summary?.FinishReason, Is.EqualTo(FinishReason.Stopped));
        Assert.That(text, Has.Length.GreaterThan(1), "it ran for the grace period");
        Assert.That(text, Does.StartWith("bcdefghijklmnopqrstuvwxyza"[..Math.Min(text.Length, 26)]));
        var refusal = Assert.Throws<EngineException>(() => Complete(scheduler, Request(maxTokens: 1)))!;
        Assert.That(refusal.Error, Is.EqualTo(EngineError.NotReady));
    }

    // Mutation: `_endRemaining = true` before the grace wait in DrainAsync ends it early, as Stopped.
    [Test]
    public async Task Drain_WithinGrace_LetsTheRunningRequestFinish()
    {
        var decoder = new ScriptedDecoder { StepDelay = TimeSpan.FromMilliseconds(5) };
        await using var scheduler = Scheduler(decoder);
        var running = Complete(scheduler, Request(maxTokens: 20));

        var clock = Stopwatch.StartNew();
        await scheduler.DrainAsync(TimeSpan.FromSeconds(30)).WaitAsync(Patience);

        var result = await running.WaitAsync(Patience);
        Assert.That(result.Choices.Single().Summary.FinishReason, Is.EqualTo(FinishReason.Length));
        Assert.That(result.Choices.Single().Text, Has.Length.EqualTo(20));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "drain returns once idle, not at the grace's end");
    }

    // Mutations: without FailAll in RecoverFromFailedDecode the first request never ends; without `slot.Forget()`
    // the next request reuses cells the fresh context does not have (the decoder refuses the position); without
    // `_decoder.Reset()` Resets stays 0.
    [Test]
    public async Task FailedDecode_FailsTheRunningRequest_ResetsTheContext_AndServesTheNext()
    {
        var decoder = new ScriptedDecoder();
        await using var scheduler = Scheduler(decoder);
        decoder.FailDecodes(1);

        var failure = Assert.ThrowsAsync<EngineException>(async () => await Complete(scheduler, Request(maxTokens: 3), "ab").WaitAsync(Patience))!;
        var next = await Complete(scheduler, Request(maxTokens: 3), "ab").WaitAsync(Patience);

        Assert.That(failure.Error, Is.EqualTo(EngineError.Failed));
        Assert.That(decoder.Resets, Is.EqualTo(1));
        Assert.That(next.Choices.Single().Text, Is.EqualTo("cde"));
        Assert.That(next.Choices.Single().Summary.CachedTokens, Is.Zero, "the failed step's cells were gone with its context");
    }

    // Mutation: without Preempt(slice) in Admit the short request waits for the long one's whole answer.
    [Test]
    public async Task TimeSlice_LongAnswerYieldsToAWaitingRequest_ThenResumesWhereItWas()
    {
        var decoder = new ScriptedDecoder { StepDelay = TimeSpan.FromMilliseconds(2) };
        await using var scheduler = Scheduler(decoder, slots: 1, contextSize: 1_000, timeSlice: TimeSpan.FromMilliseconds(20));
        var longAnswer = Stream(scheduler, Request(maxTokens: 200), "a");
        var first = await FirstText(longAnswer).WaitAsync(Patience);

        var shortAnswer = await Complete(scheduler, Request(maxTokens: 2), "m").WaitAsync(Patience);
        var rest = ReadToEnd(longAnswer);

        Assert.That(rest.IsCompleted, Is.False, "the short request was served while the long one still ran");
        Assert.That(shortAnswer.Choices.Single().Text, Is.EqualTo("no"));
        var text = first + await rest.WaitAsync(Patience);
        // The same text as without the interruption: its cells were rebuilt at the positions they had.
        var alphabet = "bcdefghijklmnopqrstuvwxyza";
        Assert.That(text, Is.EqualTo(string.Concat(Enumerable.Range(0, 200).Select(i => alphabet[i % 26]))));
    }

    // Mutation: Sequence.Finish calling `_output.Finished()` itself (the old order) tells the client before the
    // scheduler gives the place back, and the next request, sent at that moment, is refused as over capacity.
    [Test]
    public async Task Finished_FreesItsPlace_BeforeTheClientIsTold()
    {
        await using var scheduler = Scheduler(new ScriptedDecoder(), slots: 1, maxQueue: 0);
        EngineException? refusal = null;
        var next = new CollectedOutput(1, CancellationToken.None);
        // The client that sends its next request the instant it learns the first is over, on the loop's own thread.
        var first = new ProbeOutput(() =>
        {
            try
            {
                scheduler.Submit([Sequence(Request(maxTokens: 1), "x", next)]);
            }
            catch (EngineException e)
            {
                refusal = e;
            }
        });
        scheduler.Submit([Sequence(Request(maxTokens: 2), "a", first)]);

        await first.Done.Task.WaitAsync(Patience);

        Assert.That(refusal, Is.Null, refusal?.Message);
        Assert.That((await next.Result.WaitAsync(Patience)).Choices.Single().Text, Is.EqualTo("y"));
    }

    /// <summary>An output that runs <paramref name="completed"/> the moment it learns its generation is over.</summary>
    private sealed class ProbeOutput(Action completed) : GenerationOutput(1, CancellationToken.None)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override void Deliver(GenerationChunk chunk)
        {
        }

        protected override void Complete()
        {
            completed();
            Done.SetResult();
        }

        protected override void CompleteWith(Exception error) => Done.SetException(error);
    }
}
