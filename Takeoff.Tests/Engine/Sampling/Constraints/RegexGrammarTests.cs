using System.Text.RegularExpressions;
using Takeoff.Engine.Sampling.Constraints;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Engine.Sampling.Constraints;

internal sealed class RegexGrammarTests
{
    [TestCase("abc", "root ::= \"abc\"\n")]
    [TestCase("^abc$", "root ::= \"abc\"\n")]
    [TestCase("a|b", "root ::= \"a\" | \"b\"\n")]
    [TestCase("[a-c]+\\d?", "root ::= [a-c]+ [0-9]?\n")]
    [TestCase("x{2,5}y{3}z{4,}", "root ::= \"x\"{2,5} \"y\"{3} \"z\"{4,}\n")]
    [TestCase("(ab)*c", "root ::= root-group* \"c\"\nroot-group ::= \"ab\"\n")]
    [TestCase("(?:a|bc)?", "root ::= root-group?\nroot-group ::= (\"a\" | \"bc\")\n")]
    [TestCase("[^\"\\\\]", "root ::= [\\x01-!#-\\x5B\\x5D-\\uD7FF\\uE000-\\uFFFF]\n")]
    [TestCase("\\$\\.\\x41\\u00e9\\t", "root ::= \"$.A\\u00E9\\t\"\n")]
    [TestCase("", "root ::= \"\"\n")]
    public void SmallPatterns_ExactGrammar(string pattern, string gbnf) =>
        Assert.That(RegexGrammar.ToGbnf(pattern), Is.EqualTo(gbnf));

    private static IEnumerable<TestCaseData> Behaviour()
    {
        yield return new TestCaseData(@"\d{3}-\d{4}", new[] { "555-1234", "555-123", "5551234", "555-12345", "abc-defg" });
        yield return new TestCaseData(@"[A-Z][a-z]*( [A-Z][a-z]*)*", new[] { "Hello World", "Hello", "hello", "Hello  World", "" });
        yield return new TestCaseData(@"(cat|dog)s?", new[] { "cat", "dogs", "cats", "catdog", "do" });
        yield return new TestCaseData(@"a.c", new[] { "abc", "a c", "a\nc", "ac" });
        yield return new TestCaseData(@"[^a-c]+", new[] { "xyz", "xaz", "é€", "" });
        yield return new TestCaseData(@"\w+@\w+\.com", new[] { "me@example.com", "me@example.org", "m e@x.com", "é@x.com" });
        yield return new TestCaseData(@"\s*\S+\s*", new[] { " word ", "word", "two words", "\t\ttab\n", "   " });
        yield return new TestCaseData(@"[\d\s]+", new[] { "1 2\t3", "12a", " " });
        yield return new TestCaseData(@"[^\d\s]+", new[] { "abc", "a1", "a b", "٣" });
        yield return new TestCaseData(@"\W+", new[] { "!?", "a!", "é", "٣" });
        yield return new TestCaseData(@"(a?)*b", new[] { "b", "ab", "aaab", "a", "ba" });
        yield return new TestCaseData(@"(a*|b)+c", new[] { "c", "abbac", "aac", "ca" });
        yield return new TestCaseData(@"(|x)+y", new[] { "y", "xy", "xxy", "x" });
        yield return new TestCaseData(@"(a{2}){2,3}", new[] { "aaaa", "aaaaaa", "aaaaa", "aa", "aaaaaaaa" });
        yield return new TestCaseData(@"x+?y??z*?", new[] { "x", "xyz", "xxzz", "y" });
        yield return new TestCaseData(@"^(?<year>\d{4})-(?'month'\d{2})$", new[] { "2024-05", "2024-5", "24-05" });
        yield return new TestCaseData(@"a{,2}}]", new[] { "a{,2}}]", "aa" });
        yield return new TestCaseData(@"[-a]|[a-]|[\]\\\-]", new[] { "-", "a", "]", "\\", "b" });
        yield return new TestCaseData(@"\cA\x7e\e\a\f\v", new[] { "\u0001~\u001b\a\f\v", "x" });
        yield return new TestCaseData(@"😀!", new[] { "😀!", "😀", "!" });
        yield return new TestCaseData(@"^a$|^b|c$|d", new[] { "a", "b", "c", "d", "ab", "" });
    }

    /// <summary>Exactly the strings both .NET modes (default and ECMAScript) match in full.</summary>
    [TestCaseSource(nameof(Behaviour))]
    public void Grammar_AcceptsExactlyWhatDotNetMatchesInFull(string pattern, string[] samples)
    {
        var recognizer = GbnfRecognizer.For(RegexGrammar.ToGbnf(pattern));
        foreach (var sample in samples)
        {
            var expected = FullMatch(pattern, sample, RegexOptions.None) && FullMatch(pattern, sample, RegexOptions.ECMAScript);
            Assert.That(recognizer.Accepts(sample), Is.EqualTo(expected), $"'{sample}'");
        }
    }

    [TestCase("a.c", "a\rc")]
    [TestCase("a.c", "a\u2028c")]
    [TestCase("..", "😀")]
    public void Narrowing_LineTerminatorsOfAnyEngineAndNonBmpCharactersAreNeverGenerated(string pattern, string sample)
    {
        Assert.That(FullMatch(pattern, sample, RegexOptions.None), Is.True, ".NET matches it...");
        Assert.That(GbnfRecognizer.For(RegexGrammar.ToGbnf(pattern)).Accepts(sample), Is.False, "...JavaScript (or UTF-8 output) would not");
    }

    private static bool FullMatch(string pattern, string text, RegexOptions options) =>
        Regex.IsMatch(text, $@"\A(?:{pattern})\z", options);

    [Test]
    public void NegatedShorthand_NeverGeneratesWhatAnyEngineWouldRejectAsTheirUnicodeClass()
    {
        // \D under ECMAScript would take an Arabic-Indic digit, .NET's default \D would not: the grammar does not either.
        var recognizer = GbnfRecognizer.For(RegexGrammar.ToGbnf(@"\D"));

        Assert.That(recognizer.Accepts("x"), Is.True);
        Assert.That(recognizer.Accepts("٣"), Is.False);
        Assert.That(Regex.IsMatch("٣", @"^\D$", RegexOptions.ECMAScript), Is.True);
    }

    [TestCase(1500)]
    [TestCase(2500)]
    public void LargeCounts_StayUnderLlamaCppsRepetitionLimit(int count)
    {
        var gbnf = RegexGrammar.ToGbnf($"[ab]{{{count}}}c{{0,{count}}}");
        var recognizer = GbnfRecognizer.For(gbnf);

        Assert.That(gbnf, Does.Not.Contain(count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(recognizer.Accepts(new string('a', count) + new string('c', count)), Is.True);
        Assert.That(recognizer.Accepts(new string('b', count) + new string('c', 17)), Is.True);
        Assert.That(recognizer.Accepts(new string('a', count - 1)), Is.False);
        Assert.That(recognizer.Accepts(new string('a', count) + new string('c', count + 1)), Is.False);
    }

    [Test]
    public void BoundedRangeAboveTheInlineLimit_HasEveryCountInRange()
    {
        var recognizer = GbnfRecognizer.For(RegexGrammar.ToGbnf("x{998,2003}"));

        Assert.That(new[] { 997, 998, 999, 1000, 1001, 1999, 2000, 2001, 2003, 2004 }.Select(n => recognizer.Accepts(new string('x', n))),
            Is.EqualTo(new[] { false, true, true, true, true, true, true, true, true, false }));
    }

    [TestCase(@"(a)\1", "back-references are not supported at position 3")]
    [TestCase(@"\k<x>", "named back-references")]
    [TestCase(@"a(?=b)", "look-ahead '(?=' is not supported at position 1")]
    [TestCase(@"a(?!b)", "look-ahead '(?!' is not supported")]
    [TestCase(@"(?<=a)b", "look-behind '(?<=' is not supported at position 0")]
    [TestCase(@"(?<!a)b", "look-behind '(?<!' is not supported")]
    [TestCase(@"(?>a)", "atomic groups")]
    [TestCase(@"(?i)a", "inline options")]
    [TestCase(@"(?P<n>a)", "Python syntax")]
    [TestCase(@"(?<a-b>x)", "balancing groups")]
    [TestCase(@"(a", "unterminated group at position 0")]
    [TestCase(@"a)", "unbalanced ')' at position 1")]
    [TestCase(@"[a", "unterminated character class at position 0")]
    [TestCase(@"[z-a]", "character range in reverse order at position 1")]
    [TestCase(@"[]a]", "empty character class")]
    [TestCase(@"[a-\d]", "a range cannot end with a shorthand")]
    [TestCase(@"[a-z-[aeiou]]", "class subtraction")]
    [TestCase(@"[[:alpha:]]", "POSIX classes")]
    [TestCase(@"a^b", "anchor '^' is only supported at the start")]
    [TestCase(@"(^a)", "anchor '^' is only supported at the start")]
    [TestCase(@"a$b", "anchor '$' is only supported at the end")]
    [TestCase(@"(a$)", "anchor '$' is only supported at the end")]
    [TestCase(@"\bword\b", @"word boundaries '\b' are not supported at position 0")]
    [TestCase(@"a\Z", @"anchor '\Z'")]
    [TestCase(@"*a", "nothing to repeat before '*' at position 0")]
    [TestCase(@"a|?", "nothing to repeat before '?'")]
    [TestCase(@"{2}", "nothing to repeat before '{'")]
    [TestCase(@"a**", "nested quantifier at position 2")]
    [TestCase(@"a{2}{3}", "nested quantifier")]
    [TestCase(@"a*+", "possessive quantifiers")]
    [TestCase(@"a{3,1}", "quantifier {3,1} has its maximum below its minimum")]
    [TestCase(@"a{99999999999}", "quantifier count too large")]
    [TestCase(@"a{2000000}", "a repetition count above 1000000 is not supported")]
    [TestCase(@"\p{L}", "Unicode categories")]
    [TestCase(@"\q", @"unknown escape '\q'")]
    [TestCase(@"a\", "lone backslash")]
    [TestCase(@"\x4", "expecting 2 hex digits")]
    [TestCase(@"\0", "NUL")]
    [TestCase(@"[^\s\S]", "character class matches no character")]
    [TestCase("😀+", "a quantifier on a character outside the BMP")]
    [TestCase("[😀]", "characters outside the BMP are not supported in a class")]
    public void UnsupportedOrBrokenPattern_IsRefusedNamingIt(string pattern, string message) =>
        Assert.That(() => RegexGrammar.ToGbnf(pattern),
            Throws.TypeOf<ConstraintException>().With.Message.Contains(message).And.Property(nameof(ConstraintException.Keyword)).EqualTo("pattern"));

    [Test]
    public void NestedGroups_AreBoundedSoNoPatternCanOverflowTheStack()
    {
        string Nested(int depth) => new string('(', depth) + "a" + new string(')', depth);

        Assert.That(GbnfRecognizer.For(RegexGrammar.ToGbnf(Nested(200))).Accepts("a"), Is.True);
        Assert.That(() => RegexGrammar.ToGbnf(Nested(201)), Throws.TypeOf<ConstraintException>().With.Message.Contains("groups nested more than 200 deep"));
        Assert.That(() => RegexGrammar.ToGbnf(Nested(100_000)), Throws.TypeOf<ConstraintException>());
    }

    [Test]
    public void EveryAcceptedPatternsGrammar_IsOneLlamaCppAccepts()
    {
        // Nullable items under * would be left-recursive after llama.cpp's rewrite; the converter must avoid that.
        foreach (var pattern in new[] { "(a?)*", "(a*)*", "(a|b?)+", "((a?)(b?))*c", "(()|a)*", "(a{0,3})+" })
            Assert.That(() => GbnfGrammar.Parse(RegexGrammar.ToGbnf(pattern)), Throws.Nothing, pattern);
    }
}
