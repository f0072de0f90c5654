using System.Collections.Immutable;
using Takeoff.Engine.Errors;
using Takeoff.Engine.Models;

namespace Takeoff.Engine.Readers;

/// <summary>
/// Every reader by id, and routing by consumer group or model name. Requests see an immutable routing table swapped
/// atomically when a reader is added, removed or changes state, so routing never takes a lock; a removed reader is
/// out of the table before it starts draining.
/// </summary>
internal sealed class ReaderRegistry
{
    private readonly Lock _rebuilding = new();
    private ImmutableList<Reader> _readers = [];
    private RoutingTable _table = RoutingTable.Empty;
    private volatile bool _shuttingDown;

    /// <summary>Every reader, in the order they were started.</summary>
    public IReadOnlyList<Reader> Readers => Volatile.Read(ref _readers);

    /// <summary>The server is stopping: nothing new is routed or started.</summary>
    public bool ShuttingDown => _shuttingDown;

    /// <summary>
    /// Not shutting down, and every consumer group started with the server has a ready reader. Readers added later
    /// do not count: one still loading does not make the whole server unready.
    /// </summary>
    public bool IsReady
    {
        get
        {
            var readers = Readers;
            return !_shuttingDown && readers.Any(r => r.Boot) && readers.Where(r => r.Boot)
                .Select(r => r.Entry.ConsumerGroup).Distinct()
                .All(group => readers.Any(r => r.Entry.ConsumerGroup == group && r.State == ReaderState.Ready));
        }
    }

    public void BeginShutdown()
    {
        _shuttingDown = true;
        Rebuild();
    }

    public void Add(Reader reader)
    {
        reader.Changed += OnReaderChanged;
        ImmutableInterlocked.Update(ref _readers, list => list.Add(reader));
        Rebuild();
    }

    public Reader? Remove(string readerId)
    {
        Reader? removed = null;
        ImmutableInterlocked.Update(ref _readers, list =>
        {
            removed = list.Find(r => r.Id == readerId);
            return removed is null ? list : list.Remove(removed);
        });
        if (removed is not null)
        {
            removed.Changed -= OnReaderChanged;
            Rebuild();
        }
        return removed;
    }

    private void OnReaderChanged(Reader reader, ReaderState state) => Rebuild();

    public Reader Find(string readerId) => Readers.FirstOrDefault(r => r.Id == readerId)
        ?? throw new EngineException(EngineError.NotFound,
            $"No reader '{readerId}'; readers: {string.Join(", ", Readers.Select(r => r.Id))}.", EngineInput.Reader);

    /// <summary>Consumer groups first, then the model names that are not also a group's name.</summary>
    public IReadOnlyList<RoutingTarget> Targets()
    {
        var readers = Readers;
        var groups = readers.GroupBy(r => r.Entry.ConsumerGroup, StringComparer.Ordinal)
            .Select(g => new RoutingTarget(g.Key, IsGroup: true));
        var models = readers.GroupBy(r => r.Entry.Name, StringComparer.OrdinalIgnoreCase)
            .Where(m => readers.All(r => r.Entry.ConsumerGroup != m.Key))
            .Select(m => new RoutingTarget(m.Key, IsGroup: false));
        return [.. groups, .. models];
    }

    /// <summary>
    /// The least-loaded ready model that computes <paramref name="type"/> for <paramref name="target"/>, a consumer
    /// group or else a model name; see <see cref="RoutingTable.Route"/>. Reads the current table: no lock.
    /// </summary>
    public LoadedModel Route(string target, ModelType type) => Volatile.Read(ref _table).Route(target, type);

    /// <summary>
    /// A new table from the readers as they are now. Serialized, so that of two rebuilds racing a change of state the
    /// later one (which reads the newer states) is the one that stays.
    /// </summary>
    private void Rebuild()
    {
        lock (_rebuilding)
            Volatile.Write(ref _table, RoutingTable.Build(Readers, _shuttingDown));
    }
}
