using System.Collections.Frozen;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Models;

namespace Takeoff.Engine.Readers;

/// <summary>
/// Where requests go, as of one moment: for each consumer group and model name, the ready models of each kind, or
/// why there are none. Immutable and rebuilt whenever a reader is added, removed or changes state (as YARP rebuilds
/// its destinations), so that routing a request reads it without a lock; the least-loaded pick reads each ready
/// model's counters, which the loops publish.
/// </summary>
internal sealed class RoutingTable
{
    public static readonly RoutingTable Empty = Build([], shuttingDown: false);

    private readonly FrozenDictionary<string, Destinations> _byGroup;
    private readonly FrozenDictionary<string, Destinations> _byName;
    private readonly string _known;
    private readonly bool _shuttingDown;

    private RoutingTable(FrozenDictionary<string, Destinations> byGroup, FrozenDictionary<string, Destinations> byName, string known, bool shuttingDown)
    {
        _byGroup = byGroup;
        _byName = byName;
        _known = known;
        _shuttingDown = shuttingDown;
    }

    /// <summary>Reads each reader's state once (under its lock): done on a change, never per request.</summary>
    public static RoutingTable Build(IReadOnlyList<Reader> readers, bool shuttingDown)
    {
        var snapshots = readers.Select(r => (Reader: r, Snapshot: r.Snapshot(), Model: r.Model)).ToArray();
        var byGroup = snapshots.GroupBy(s => s.Reader.Entry.ConsumerGroup, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => Destinations.Of(g.ToArray()), StringComparer.Ordinal);
        var byName = snapshots.GroupBy(s => s.Reader.Entry.Name, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => Destinations.Of(g.ToArray()), StringComparer.OrdinalIgnoreCase);
        var known = $"known groups: {string.Join(", ", byGroup.Keys.Order(StringComparer.Ordinal))}; " +
            $"models: {string.Join(", ", byName.Keys.Order(StringComparer.Ordinal))}.";
        return new RoutingTable(byGroup, byName, known, shuttingDown);
    }

    /// <summary>
    /// The least-loaded ready model of <paramref name="type"/> for <paramref name="target"/>, a consumer group or else a
    /// model name. Unknown: 404 listing what is known. The other type only: 400. Nothing ready: 503 saying why.
    /// </summary>
    public LoadedModel Route(string target, ModelType type)
    {
        if (!_byGroup.TryGetValue(target, out var destinations) && !_byName.TryGetValue(target, out destinations))
            throw new EngineException(EngineError.NotFound, $"Unknown consumer group or model '{target}'; " + _known, EngineInput.Target);
        var kind = destinations.Kinds.FirstOrDefault(k => k.Type == type)
            ?? throw EngineException.Invalid(EngineInput.Target,
                $"'{target}' has no {Name(type)} reader; its readers are {Name(destinations.Kinds[0].Type)}.");
        if (_shuttingDown)
            throw new EngineException(EngineError.NotReady, "The server is shutting down.");
        // A reader that dies between this choice and the request's admission refuses it there (503), never serves it.
        return kind.Ready.Length > 0
            ? kind.Ready.MinBy(model => model.Pending)!
            : throw new EngineException(EngineError.NotReady, kind.Refusal(target));
    }

    /// <summary>As models.json spells model types.</summary>
    private static string Name(ModelType type) => type.ToString().ToUpperInvariant();

    /// <summary>The readers one name routes to, by kind, in the order they were started.</summary>
    private sealed record Destinations(Kind[] Kinds)
    {
        public static Destinations Of((Reader Reader, ReaderSnapshot Snapshot, LoadedModel? Model)[] members) =>
            new(members.GroupBy(m => m.Reader.Entry.ModelType).Select(g => Kind.Of(g.Key, g.ToArray())).ToArray());
    }

    /// <param name="Ready">The models that serve now.</param>
    /// <param name="Waiting">Why none serves, when none does: some still load.</param>
    /// <param name="Draining">Or some are shutting down.</param>
    /// <param name="Error">Or every one is dead: the first one's error.</param>
    private sealed record Kind(ModelType Type, LoadedModel[] Ready, bool Waiting, bool Draining, string? Error)
    {
        public static Kind Of(ModelType type, (Reader Reader, ReaderSnapshot Snapshot, LoadedModel? Model)[] members) => new(
            type,
            members.Where(m => m.Snapshot.State == ReaderState.Ready && m.Model is not null).Select(m => m.Model!).ToArray(),
            members.Any(m => m.Snapshot.State == ReaderState.Loading),
            members.Any(m => m.Snapshot.State is ReaderState.Draining or ReaderState.Stopped),
            members[0].Snapshot.Error);

        /// <summary>Why <paramref name="target"/> (as the request named it) has no ready model of this kind.</summary>
        public string Refusal(string target) =>
            Waiting ? $"The readers of '{target}' are still loading."
            : Draining ? $"The readers of '{target}' are shutting down."
            : $"Every reader of '{target}' is dead (it failed to load, or crashed): {Error}";
    }
}
