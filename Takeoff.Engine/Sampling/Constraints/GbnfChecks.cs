namespace Takeoff.Engine.Sampling.Constraints;

/// <summary>
/// Whole-grammar checks after parsing. llama.cpp refuses undefined rules, a missing root and left recursion; its
/// left-recursion test only treats a rule as empty when it has a literally empty alternative, so this one, which
/// follows every rule that can derive the empty string, refuses a superset. That matters: with LLamaSharp 0.30's
/// libllama, <c>root ::= e root "x" | "y"</c>, <c>e ::= f</c>, <c>f ::= | "z"</c> passes llama.cpp's test and then
/// aborts the process inside <c>llama_sampler_init_grammar</c> (measured). It also refuses a root that can never
/// complete (llama.cpp would accept it and generate until the token limit).
/// </summary>
internal static class GbnfChecks
{
    public static GbnfGrammar Validate(string text, GbnfParseResult parsed, string root)
    {
        var source = parsed.Source;
        for (var id = 0; id < parsed.Names.Count; id++)
        {
            if (parsed.Bodies[id] is null)
            {
                var where = parsed.FirstReference.TryGetValue(id, out var at) ? $" (referenced at {source.Where(at)})" : "";
                throw new ConstraintException($"undefined rule '{parsed.Names[id]}'{where}");
            }
        }

        var rootId = IndexOf(parsed.Names, root);
        if (rootId < 0)
            throw new ConstraintException($"the grammar has no '{root}' rule");

        var rules = parsed.Names.Select((name, id) => new GbnfRule(name, parsed.Bodies[id]!)).ToList();
        var nullable = Fixpoint(rules, charactersSatisfy: false);
        RefuseLeftRecursion(rules, nullable, parsed);
        if (!Fixpoint(rules, charactersSatisfy: true)[rootId])
            throw new ConstraintException($"rule '{root}' can never complete: every alternative recurses without end") { Recursion = true };
        return new GbnfGrammar(text, rules, rootId);
    }

    /// <summary>Rules that can derive the empty string (characters never satisfy) or some finite string (they do).</summary>
    public static bool[] Fixpoint(IReadOnlyList<GbnfRule> rules, bool charactersSatisfy)
    {
        var satisfied = new bool[rules.Count];
        var users = new List<(int Rule, int Alternative)>[rules.Count];
        for (var r = 0; r < rules.Count; r++)
            users[r] = [];
        var pending = new int[rules.Count][];
        var queue = new Queue<int>();

        for (var r = 0; r < rules.Count; r++)
        {
            var alternatives = rules[r].Alternatives;
            pending[r] = new int[alternatives.Count];
            for (var a = 0; a < alternatives.Count; a++)
            {
                var elements = alternatives[a];
                if (!charactersSatisfy && elements.Any(e => e is GbnfCharClass))
                {
                    pending[r][a] = int.MaxValue;
                    continue;
                }
                foreach (var element in elements)
                {
                    if (element is GbnfRuleRef reference)
                    {
                        users[reference.Rule].Add((r, a));
                        pending[r][a]++;
                    }
                }
                if (pending[r][a] == 0 && !satisfied[r])
                {
                    satisfied[r] = true;
                    queue.Enqueue(r);
                }
            }
        }

        while (queue.Count > 0)
        {
            foreach (var (rule, alternative) in users[queue.Dequeue()])
            {
                if (--pending[rule][alternative] == 0 && !satisfied[rule])
                {
                    satisfied[rule] = true;
                    queue.Enqueue(rule);
                }
            }
        }
        return satisfied;
    }

    private static void RefuseLeftRecursion(List<GbnfRule> rules, bool[] nullable, GbnfParseResult parsed)
    {
        // Edges to every rule that can come first: a leading reference, and the one after it while those before can be empty.
        var edges = new List<int>[rules.Count];
        for (var r = 0; r < rules.Count; r++)
        {
            edges[r] = [];
            foreach (var alternative in rules[r].Alternatives)
            {
                foreach (var element in alternative)
                {
                    if (element is not GbnfRuleRef reference)
                        break;
                    edges[r].Add(reference.Rule);
                    if (!nullable[reference.Rule])
                        break;
                }
            }
        }

        var state = new byte[rules.Count]; // 0 unvisited, 1 on the path, 2 done
        var path = new List<int>();
        var next = new List<int>();
        for (var start = 0; start < rules.Count; start++)
        {
            if (state[start] != 0)
                continue;
            path.Add(start);
            next.Add(0);
            state[start] = 1;
            while (path.Count > 0)
            {
                var node = path[^1];
                if (next[^1] == edges[node].Count)
                {
                    state[node] = 2;
                    path.RemoveAt(path.Count - 1);
                    next.RemoveAt(next.Count - 1);
                    continue;
                }
                var target = edges[node][next[^1]++];
                if (state[target] == 1)
                    throw LeftRecursion(path.Skip(path.IndexOf(target)).ToList(), rules, parsed);
                if (state[target] == 0)
                {
                    state[target] = 1;
                    path.Add(target);
                    next.Add(0);
                }
            }
        }
    }

    private static ConstraintException LeftRecursion(List<int> cycle, List<GbnfRule> rules, GbnfParseResult parsed)
    {
        // Synthesized rules are named base_N: report the rule the user wrote.
        var named = cycle.FirstOrDefault(r => !rules[r].Name.Contains('_', StringComparison.Ordinal), cycle[0]);
        var name = rules[named].Name;
        var underscore = name.LastIndexOf('_');
        if (underscore > 0)
            name = name[..underscore];
        var id = IndexOf(parsed.Names, name);
        var where = id >= 0 && parsed.Definition.TryGetValue(id, out var at) ? $" (defined at {parsed.Source.Where(at)})" : "";
        return new ConstraintException(
            $"left recursion: rule '{name}'{where} can reach itself before matching a character (llama.cpp cannot run left-recursive grammars)")
        {
            Recursion = true,
        };
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }
}
