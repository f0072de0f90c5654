using System.Diagnostics;
using System.Text.Json.Nodes;
using Takeoff.Engine.Text.Jinja.Errors;
using Takeoff.Engine.Text.Jinja.Runtime;
using Takeoff.Engine.Text.Jinja;
using Takeoff.Tests.Support;

namespace Takeoff.Tests.Engine.Text.Jinja;

/// <summary>
/// The engine feature by feature. Every expected output and error message below is what Jinja2 3.1.6 gave for the
/// same source in transformers' environment (the one scripts/render-chat-templates.py builds), so each test checks
/// Jinja2's behaviour, not this engine's idea of it. The sandbox-limit tests at the end have no Jinja2 counterpart:
/// they prove a hostile template ends in a clean <see cref="TemplateException"/>, quickly.
/// </summary>
internal sealed class JinjaEngineTests
{
    private static readonly JinjaRenderOptions Options = new() { Clock = new FixedClock(new DateTimeOffset(2026, 1, 15, 12, 34, 56, TimeSpan.Zero)) };

    private static string Render(string source, JinjaRenderOptions? options = null) =>
        JinjaTemplate.Parse(source).Render([], options ?? Options);

    private static void AssertRenders(string source, string expected) =>
        Assert.That(Render(source), Is.EqualTo(expected));

    private static void AssertFails(string source, TemplateErrorKind kind, string message)
    {
        var error = Assert.Throws<TemplateException>(() => Render(source));
        Assert.That(error!.Kind, Is.EqualTo(kind), error.Message);
        if (kind == TemplateErrorKind.Syntax)
            Assert.That(error.Message, Does.StartWith(message));
        else
            Assert.That(error.Message, Is.EqualTo(message));
    }

    private static TemplateException AssertLimit(Func<string> render, string messagePart)
    {
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<TemplateException>(() => render());
        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(TemplateErrorKind.Limit), error.Message);
            Assert.That(error.Message, Does.Contain(messagePart));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "a limit stops the template early");
        });
        return error!;
    }

    [Test]
    public void Whitespace_TrimAndLstripBlocks() => AssertRenders(
        "a\n  {% if true %}\n  b\n  {% endif %}\n  {{ 'c' }}\n{# c #}\nd\n",
        "a\n  b\n  c\nd");

    [Test]
    public void Whitespace_DashMarkers() => AssertRenders(
        "{%- if true -%}  x  {%- endif -%}  |  {{- 'a' -}}  \n b",
        "x|ab");

    [Test]
    public void Whitespace_ForBodyKeepsOneNewlinePerLine() => AssertRenders(
        "{% for i in [1,2] %}\n{{ i }}\n{% endfor %}",
        "1\n2\n");

    [Test]
    public void Whitespace_PlusDisablesLstrip() => AssertRenders(
        "  {%+ if true %}x{% endif %}",
        "  x");

    [Test]
    public void Whitespace_Raw() => AssertRenders(
        "{% raw %}{{ x }} {% if %}{% endraw %}",
        "{{ x }} {% if %}");

    [Test]
    public void Loop_Variables() => AssertRenders(
        "{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}|{% endfor %}",
        "1032TrueFalse3|2121FalseFalse3|3210FalseTrue3|");

    [Test]
    public void Loop_PrevAndNextItem() => AssertRenders(
        "{% for x in [1,2,3] %}{{ loop.previtem|default('-') }}{{ x }}{{ loop.nextitem|default('-') }} {% endfor %}",
        "-12 123 23- ");

    [Test]
    public void Loop_Else() => AssertRenders(
        "{% for x in [] %}x{% else %}empty{% endfor %}{% for x in [1] %}{{ x }}{% else %}no{% endfor %}",
        "empty1");

    [Test]
    public void Loop_Filter() => AssertRenders(
        "{% for x in range(10) if x is odd %}{{ x }}/{{ loop.length }}{{ ',' if not loop.last }}{% endfor %}",
        "1/5,3/5,5/5,7/5,9/5");

    [Test]
    public void Loop_BreakContinue() => AssertRenders(
        "{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}",
        "0134");

    [Test]
    public void Loop_Unpack() => AssertRenders(
        "{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}{% for k in {'b': 1, 'a': 2} %}{{ k }}{% endfor %}",
        "a=1;b=2;ba");

    [Test]
    public void Loop_CycleAndChanged() => AssertRenders(
        "{% for x in [1,1,2] %}{{ loop.cycle('a', 'b') }}{{ loop.changed(x) }}{% endfor %}",
        "aTruebFalseaTrue");

    [Test]
    public void Scope_NamespaceOutlivesLoop() => AssertRenders(
        "{% set ns = namespace(n=0, s='') %}{% for x in [1,2,3] %}{% set ns.n = ns.n + x %}{% set ns.s = ns.s ~ x %}{% endfor %}{{ ns.n }} {{ ns.s }}",
        "6 123");

    [Test]
    public void Scope_SetInLoopDoesNotLeak() => AssertRenders(
        "{% set n = 0 %}{% for x in [1,2] %}{% set n = n + x %}[{{ n }}]{% endfor %}{{ n }}",
        "[1][2]0");

    [Test]
    public void Scope_SetInIfDoesLeak() => AssertRenders(
        "{% if true %}{% set n = 5 %}{% endif %}{{ n }}",
        "5");

    [Test]
    public void Set_Block() => AssertRenders(
        "{% set x %}  hello {{ 'world' }}  {% endset %}[{{ x }}]{% set y | upper %}abc{% endset %}{{ y }}",
        "[  hello world  ]ABC");

    [Test]
    public void Set_Unpack() => AssertRenders(
        "{% set a, b = [1, 2] %}{{ b }}{{ a }}{% set t = 1, 2 %}{{ t }}",
        "21(1, 2)");

    [Test]
    public void Macro_DefaultsAndKeywords() => AssertRenders(
        "{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('Ann') }} {{ greet('Bob', greeting='Hi') }} {{ greet(greeting='Yo', name='Cy') }}",
        "Hello, Ann! Hi, Bob! Yo, Cy!");

    [Test]
    public void Macro_VarargsAndKwargs() => AssertRenders(
        "{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, x=4) }}",
        "1(2, 3){'x': 4}");

    [Test]
    public void Macro_Recursive() => AssertRenders(
        "{% macro f(n) %}{% if n > 0 %}{{ n }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(3) }}",
        "321");

    [Test]
    public void Macro_SeesGlobalsAtCallTime() => AssertRenders(
        "{% macro m() %}{{ z }}{% endmacro %}{% set z = 1 %}{{ m() }}{% set z = 2 %}{{ m() }}",
        "12");

    [Test]
    public void Macro_MissingArgumentIsUndefined() => AssertRenders(
        "{% macro m(a, b) %}[{{ a }}|{{ b }}|{{ b is defined }}]{% endmacro %}{{ m(1) }}",
        "[1||False]");

    [Test]
    public void Slices() => AssertRenders(
        "{{ 'hello'[::-1] }}|{{ [1,2,3,4][1:] }}|{{ [1,2,3,4][:-1] }}|{{ [1,2,3,4][::2] }}|{{ 'abcdef'[1:4] }}|{{ [1,2,3][-1] }}|{{ (1,2,3)[1:] }}|{{ [1,2,3][5:] }}|{{ [1,2,3,4,5][-2::-2] }}",
        "olleh|[2, 3, 4]|[1, 2, 3]|[1, 3]|bcd|3|(2, 3)|[]|[4, 2]");

    [Test]
    public void Filters_Strings() => AssertRenders(
        "{{ '  x  '|trim }}|{{ 'xxaxx'|trim('x') }}|{{ [1,2,3]|join(', ') }}|{{ [1,None]|join }}|{{ 'ab'|upper }}|{{ 'AB'|lower }}|{{ 'hello WORLD'|capitalize }}|{{ 'hello wORLD-foo (bar)'|title }}|{{ 'aaa'|replace('a','b',2) }}|{{ 12|string ~ 'x' }}|{{ [1,'a']|string }}|{{ none|trim }}|{{ 'a b  c'|wordcount }}",
        "x|a|1, 2, 3|1None|AB|ab|Hello world|Hello World-Foo (Bar)|bba|12x|[1, 'a']|None|3");

    [Test]
    public void Filters_Sequences() => AssertRenders(
        "{{ [3,1,2]|sort }}|{{ [3,1,2]|sort(reverse=true) }}|{{ ['b','A','c']|sort }}|{{ [1,2,2,1]|unique|list }}|{{ [1,2,3]|first }}|{{ [1,2,3]|last }}|{{ [1,2,3]|reverse|list }}|{{ 'abc'|reverse }}|{{ [1,2,3]|length }}|{{ {'a':1}|count }}|{{ 'abc'|list }}|{{ [3,1,2]|min }}|{{ [3,1,2]|max }}|{{ [1,2,3]|sum }}|{{ [{'a':2},{'a':1}]|sort(attribute='a') }}",
        "[1, 2, 3]|[3, 2, 1]|['A', 'b', 'c']|[1, 2]|1|3|[3, 2, 1]|cba|3|1|['a', 'b', 'c']|1|3|6|[{'a': 1}, {'a': 2}]");

    [Test]
    public void Filters_MapAndSelect() => AssertRenders(
        "{{ [{'n':'a'},{'n':'b'}]|map(attribute='n')|join(',') }}|{{ ['a','b']|map('upper')|list }}|{{ [1,2,3,4]|select('odd')|list }}|{{ [1,2,3,4]|reject('odd')|list }}|{{ [{'x':1},{'x':2},{}]|selectattr('x','defined')|list|length }}|{{ [{'x':1},{'x':2}]|rejectattr('x','equalto',1)|list }}|{{ [0,1,'',None,'a']|select|list }}|{{ [{'a':{'b':1}}]|map(attribute='a.b')|list }}|{{ [{}]|map(attribute='z', default='dz')|list }}",
        "a,b|['A', 'B']|[1, 3]|[2, 4]|2|[{'x': 2}]|[1, 'a']|[1]|['dz']");

    [Test]
    public void Filters_Default() => AssertRenders(
        "{{ x|default('d') }}|{{ none|default('d') }}|{{ none|default('d', true) }}|{{ ''|d('e', true) }}|{{ 0|default(5) }}|{{ x|d }}|",
        "d|None|d|e|0||");

    [Test]
    public void Filters_ItemsAndDictsort() => AssertRenders(
        "{{ {'b':1,'a':2}|items|list }}|{{ {'b':1,'A':2,'a':0}|dictsort }}|{{ {'b':1,'a':2}|dictsort(by='value', reverse=true) }}",
        "[('b', 1), ('a', 2)]|[('A', 2), ('a', 0), ('b', 1)]|[('a', 2), ('b', 1)]");

    [Test]
    public void Filters_Numbers() => AssertRenders(
        "{{ '42'|int + 1 }}|{{ 'x'|int }}|{{ '3.7'|int }}|{{ 3.7|int }}|{{ '2.5'|float }}|{{ -3|abs }}|{{ 2.5|round }}|{{ 3.14159|round(2) }}|{{ 'x'|float }}|{{ none|int(7) }}",
        "43|0|3|3|2.5|3|2.0|3.14|0.0|7");

    [Test]
    public void Filters_Indent() => AssertRenders(
        "[{{ 'a\nb\n\nc'|indent(2) }}]|[{{ 'a\nb'|indent(2, true) }}]|[{{ 'a\n\nb'|indent(2, blank=true) }}]|[{{ 'a\nb'|indent('> ') }}]",
        "[a\n  b\n\n  c]|[  a\n  b]|[a\n  \n  b]|[a\n> b]");

    [Test]
    public void Filters_FilterBlock() => AssertRenders(
        "{% filter upper %}abc {{ 'd' }}{% endfilter %}|{% filter trim %}   x   {% endfilter %}|",
        "ABC D|x|");

    [Test]
    public void ToJson_Default() => AssertRenders(
        "{{ {'a': [1, 2.5, true, none, 'é\"\\n\\t</x>'], 'b': {}} |tojson }}",
        "{\"a\": [1, 2.5, true, null, \"é\\\"\\n\\t</x>\"], \"b\": {}}");

    [Test]
    public void ToJson_Indent() => AssertRenders(
        "{{ {'a': [1, {}], 'b': [], 'c': {'d': none}}|tojson(indent=2) }}",
        "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": [],\n  \"c\": {\n    \"d\": null\n  }\n}");

    [Test]
    public void ToJson_SortKeysAndSeparators() => AssertRenders(
        "{{ {'b': 1, 'a': [2, 3]}|tojson(sort_keys=true, separators=(',', ':')) }}",
        "{\"a\":[2,3],\"b\":1}");

    [Test]
    public void ToJson_EnsureAscii() => AssertRenders(
        "{{ 'é😀\u007f'|tojson(ensure_ascii=true) }}|{{ 'é😀'|tojson }}",
        "\"\\u00e9\\ud83d\\ude00\\u007f\"|\"é😀\"");

    [Test]
    public void ToJson_Floats() => AssertRenders(
        "{{ [1.0, 0.1, 1e20, 1e-5, 123456789012345678.0, 1/3, 2.5e-3, -0.0, 1e16, 1e15]|tojson }}",
        "[1.0, 0.1, 1e+20, 1e-05, 1.2345678901234568e+17, 0.3333333333333333, 0.0025, -0.0, 1e+16, 1000000000000000.0]");

    [Test]
    public void Repr_Containers() => AssertRenders(
        "{{ [1, 'a', None, True, 1.5, {'k': \"it's\"}, (1,), (1, 2), ()] }}|{{ none }}|{{ true }}|{{ {'a': [None]} }}|{{ ['a\\nb', \"q'\\\"\", '\\\\', 'é'] }}",
        "[1, 'a', None, True, 1.5, {'k': \"it's\"}, (1,), (1, 2), ()]|None|True|{'a': [None]}|['a\\nb', 'q\\'\"', '\\\\', 'é']");

    [Test]
    public void Repr_Numbers() => AssertRenders(
        "{{ 1e20 }}|{{ 0.1 + 0.2 }}|{{ 1/2 }}|{{ 4/2 }}|{{ 7//2 }}|{{ -7//2 }}|{{ -7 % 3 }}|{{ 7 % -3 }}|{{ 2**10 }}|{{ 2**-1 }}|{{ 10/4 }}|{{ 1e16 }}|{{ 1e15 }}|{{ 0.0001 }}|{{ 0.00001 }}|{{ -1.5 }}|{{ 7.0 // 2 }}|{{ 1_000 }}",
        "1e+20|0.30000000000000004|0.5|2.0|3|-4|2|-2|1024|0.5|2.5|1e+16|1000000000000000.0|0.0001|1e-05|-1.5|3.0|1000");

    [Test]
    public void Undefined_IsQuietWhereJinja2IsQuiet() => AssertRenders(
        "[{{ x }}]{{ x is defined }}{{ x is undefined }}{% if x %}t{% else %}f{% endif %}{% for i in x %}i{% endfor %}{{ x|length }}{{ x == y }}{{ 'a' ~ x }}{{ x in [1] }}[{{ {'a':1}.b }}][{{ {'a':1}['b'] }}][{{ [1][5] }}]{{ x|trim }}",
        "[]FalseTruef0TrueaFalse[][][]");

    [Test]
    public void Tests_Types() => AssertRenders(
        "{{ 1 is number }}{{ true is number }}{{ true is integer }}{{ 1.0 is float }}{{ 'a' is string }}{{ {} is mapping }}{{ [] is iterable }}{{ 'a' is iterable }}{{ 1 is iterable }}{{ [] is sequence }}{{ none is none }}{{ false is false }}{{ true is true }}{{ 1 is true }}{{ range is callable }}{{ 3 is divisibleby 3 }}{{ 2 is even }}{{ 1 is eq 1 }}{{ 'a' is in 'abc' }}{{ 'A' is upper }}{{ x is not defined }}{{ 1 is not string }}{{ none is boolean }}{{ 2 is gt 1 }}{{ 'a' is sameas 'a' }}",
        "TrueTrueFalseTrueTrueTrueTrueTrueFalseTrueTrueTrueTrueFalseTrueTrueTrueTrueTrueTrueTrueTrueFalseTrueTrue");

    [Test]
    public void Operators() => AssertRenders(
        "{{ 'a' in 'cat' }}{{ 1 in [1,2] }}{{ 'k' in {'k':1} }}{{ 3 not in [1] }}{{ 1 < 2 < 3 }}{{ 'a' ~ 1 ~ none }}{{ 'x' if false else 'y' }}[{{ 'x' if false }}]{{ [1] + [2] }}{{ 'ab' * 2 }}{{ not 0 }}{{ 0 or 'z' }}{{ 1 and 2 }}{{ 1 == 1.0 }}{{ true == 1 }}{{ (1, 2) == [1, 2] }}{{ 'b' > 'a' }}{{ -2 ** 2 }}{{ 2 + 3 * 4 }}",
        "TrueTrueTrueTrueTruea1Noney[][1, 2]ababTruez2TrueTrueFalseTrue414");

    [Test]
    public void Methods_Strings() => AssertRenders(
        "{{ '  a b  '.strip() }}|{{ 'xxa'.lstrip('x') }}|{{ 'axx'.rstrip('x') }}|{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'a b c'.split(' ', 1) }}|{{ 'a.b.c'.rsplit('.', 1) }}|{{ 'abc'.startswith('ab') }}|{{ 'abc'.endswith(('x','c')) }}|{{ 'Hello'.upper() }}|{{ 'abc'.replace('b','B') }}|{{ 'abc'.find('c') }}|{{ 'hello world'.title() }}|{{ '-'.join(['a','b']) }}|{{ 'a  b  c '.split(None, 1) }}",
        "a b|a|a|['a', 'b', '', 'c']|['a', 'b']|['a', 'b c']|['a.b', 'c']|True|True|HELLO|aBc|2|Hello World|a-b|['a', 'b  c ']");

    [Test]
    public void Methods_DictsAndLists() => AssertRenders(
        "{{ {'a':1}.get('a') }}|{{ {'a':1}.get('b') }}|{{ {'a':1}.get('b', 2) }}|{{ {'a':1,'b':2}.keys()|list }}|{{ {'a':1}.values()|list }}|{{ {'a': 1}.items()|list }}|{{ [1,2,1].count(1) }}|{{ [1,2].index(2) }}",
        "1|None|2|['a', 'b']|[1]|[('a', 1)]|2|1");

    [Test]
    public void Attributes_DictFallsBackToItem() => AssertRenders(
        "{% set m = {'role': 'user', 'items': 3, 'n': {'x': [10, 20]}} %}{{ m.role }}|{{ m['items'] }}|{{ m.items()|list|length }}|{{ m.n.x.1 }}|{{ m['n']['x'][0] }}",
        "user|3|3|20|10");

    [Test]
    public void Globals_RangeDictNamespace() => AssertRenders(
        "{{ range(3)|list }}|{{ range(1, 7, 2)|list }}|{{ range(5, 0, -2)|list }}|{{ dict(a=1, b='x') }}|{{ namespace(a=1).a }}",
        "[0, 1, 2]|[1, 3, 5]|[5, 3, 1]|{'a': 1, 'b': 'x'}|1");

    [Test]
    public void Markup_EscapesWhatIsAddedToIt() => AssertRenders(
        "{{ 'a'|safe + '<b>' }}|{{ '<' + 'x'|safe }}|{{ '<' ~ 'x'|safe }}|{{ ('<i>'|safe) ~ '<' }}|{{ '<&>'|escape }}",
        "a&lt;b&gt;|&lt;x|<x|<i><|&lt;&amp;&gt;");

    [Test]
    public void Generators_AreTruthyAndOneShot() => AssertRenders(
        "{% if []|select %}t{% endif %}{% set g = [1,2]|select %}{{ g|list }}{{ g|list }}",
        "t[1, 2][]");

    [Test]
    public void UnknownFilterInsideIf_IsOnlyAnErrorWhenItRuns() => AssertRenders(
        "{% if false %}{{ x|nope }}{% endif %}ok",
        "ok");

    [Test]
    public void Strftime() => AssertRenders(
        "{{ strftime_now('%Y-%m-%d %B %b %d %A %a %H:%M:%S %y %j %p %I') }}",
        "2026-01-15 January Jan 15 Thursday Thu 12:34:56 26 015 PM 12");

    [Test]
    public void Undefined_AttributeOfUndefined() => AssertFails(
        "{{ x.y }}",
        TemplateErrorKind.Runtime, "'x' is undefined");

    [Test]
    public void Undefined_AttributeOfMissingItem() => AssertFails(
        "{{ {'a':1}.b.c }}",
        TemplateErrorKind.Runtime, "'dict object' has no attribute 'b'");

    [Test]
    public void Undefined_Arithmetic() => AssertFails(
        "{{ x + 1 }}",
        TemplateErrorKind.Runtime, "'x' is undefined");

    [Test]
    public void Undefined_Call() => AssertFails(
        "{{ x() }}",
        TemplateErrorKind.Runtime, "'x' is undefined");

    [Test]
    public void TypeError_StrPlusInt() => AssertFails(
        "{{ 'a' + 1 }}",
        TemplateErrorKind.Runtime, "can only concatenate str (not \"int\") to str");

    [Test]
    public void TypeError_CompareIntStr() => AssertFails(
        "{{ 1 < 'a' }}",
        TemplateErrorKind.Runtime, "'<' not supported between instances of 'int' and 'str'");

    [Test]
    public void TypeError_DivideByZero() => AssertFails(
        "{{ 1 / 0 }}",
        TemplateErrorKind.Runtime, "division by zero");

    [Test]
    public void TypeError_InNone() => AssertFails(
        "{{ 'a' in none }}",
        TemplateErrorKind.Runtime, "argument of type 'NoneType' is not iterable");

    [Test]
    public void TypeError_LengthOfNone() => AssertFails(
        "{{ none|length }}",
        TemplateErrorKind.Runtime, "object of type 'NoneType' has no len()");

    [Test]
    public void TypeError_GeneratorToJson() => AssertFails(
        "{{ [1]|select|tojson }}",
        TemplateErrorKind.Runtime, "Object of type generator is not JSON serializable");

    [Test]
    public void TypeError_UndefinedToJson() => AssertFails(
        "{{ x|tojson }}",
        TemplateErrorKind.Runtime, "Object of type Undefined is not JSON serializable");

    [Test]
    public void TypeError_ItemsOfList() => AssertFails(
        "{{ [1]|items|list }}",
        TemplateErrorKind.Runtime, "Can only get item pairs from a mapping.");

    [Test]
    public void TypeError_MacroTooManyArguments() => AssertFails(
        "{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}",
        TemplateErrorKind.Runtime, "macro 'm' takes not more than 1 argument(s)");

    [Test]
    public void TypeError_MacroUnknownKeyword() => AssertFails(
        "{% macro m(a) %}{% endmacro %}{{ m(b=1) }}",
        TemplateErrorKind.Runtime, "macro 'm' takes no keyword argument 'b'");

    [Test]
    public void Security_ListAppend() => AssertFails(
        "{% set l = [] %}{{ l.append(1) }}",
        TemplateErrorKind.Runtime, "access to attribute 'append' of 'list' object is unsafe.");

    [Test]
    public void Security_DictUpdate() => AssertFails(
        "{% set d = {} %}{{ d.update({'a': 1}) }}",
        TemplateErrorKind.Runtime, "access to attribute 'update' of 'dict' object is unsafe.");

    [Test]
    public void Runtime_SetAttributeOnNonNamespace() => AssertFails(
        "{% set d = {} %}{% set d.x = 1 %}",
        TemplateErrorKind.Runtime, "cannot assign attribute on non-namespace object");

    [Test]
    public void Raise_MessageIsVerbatim() => AssertFails(
        "{{ raise_exception('Bad role: ' ~ 'x' ~ \" 'quoted' \") }}",
        TemplateErrorKind.Raised, "Bad role: x 'quoted' ");

    [Test]
    public void TypeError_UnaryMinusBindsBeforeTheFilter() => AssertFails(
        "{{ -'x'|length }}",
        TemplateErrorKind.Runtime, "bad operand type for unary -: 'str'");

    [Test]
    public void Syntax_UnknownTag() => AssertFails(
        "{% generation %}x{% endgeneration %}",
        TemplateErrorKind.Syntax, "Encountered unknown tag 'generation'");

    [Test]
    public void Syntax_UnknownFilter() => AssertFails(
        "{{ x|nope }}",
        TemplateErrorKind.Syntax, "No filter named 'nope'");

    [Test]
    public void Syntax_UnclosedBlock() => AssertFails(
        "{% if true %}x",
        TemplateErrorKind.Syntax, "Unexpected end of template");

    [Test]
    public void Syntax_BadExpression() => AssertFails(
        "{{ 1 + }}",
        TemplateErrorKind.Syntax, "unexpected 'end of print statement'");

    [Test]
    public void Syntax_UnclosedString() => AssertFails(
        "{{ 'abc }}",
        TemplateErrorKind.Syntax, "unexpected char \"'\" at 3");

    [Test]
    public void Variables_ComeFromJson_WithPythonsTypes()
    {
        var variables = new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
            ["n"] = JsonNode.Parse("18"),
            ["f"] = JsonNode.Parse("18.0"),
            ["flag"] = true,
            ["nothing"] = null,
        };

        var output = JinjaTemplate.Parse("{{ messages[0].role }}:{{ messages[0]['content'] }}|{{ n }} {{ n is integer }}|{{ f }}|{{ flag }}|{{ nothing }}|{{ messages }}")
            .Render(variables, Options);

        Assert.That(output, Is.EqualTo("user:hi|18 True|18.0|True|None|[{'role': 'user', 'content': 'hi'}]"));
    }

    [Test]
    public void ParsedTemplate_RendersOnManyThreadsAtOnce()
    {
        var template = JinjaTemplate.Parse("{% set ns = namespace(s='') %}{% for m in messages %}{% set ns.s = ns.s ~ m %}{% endfor %}{{ ns.s }}");

        var outputs = Enumerable.Range(0, 64).AsParallel().Select(i =>
            template.Render(new JsonObject { ["messages"] = new JsonArray(i, i + 1) }, Options)).ToList();

        Assert.That(outputs, Is.EqualTo(Enumerable.Range(0, 64).Select(i => $"{i}{i + 1}")));
    }

    [Test]
    public void Limit_ABillionIterations_StopsAtTheIterationBudget()
    {
        AssertLimit(() => Render("{% for i in range(100000) %}{% for j in range(100000) %}{{ '' }}{% endfor %}{% endfor %}"),
            "loop iterations");
        AssertLimit(() => Render("{% for i in range(1000000000) %}{% endfor %}"), "Range too big");
        AssertLimit(() => Render("{% for i in range(5) %}{% for j in range(5) %}{% endfor %}{% endfor %}", Options with { MaxLoopIterations = 10 }),
            "more than 10 loop iterations");
    }

    [Test]
    public void Limit_MacroRecursingForever_StopsAtTheCallDepth()
    {
        AssertLimit(() => Render("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"), "macro calls nested deeper than 64");
        // Deep expressions inside each call as well: the stack guard answers before the process could overflow.
        var deep = new string('(', 150) + "n + 1" + new string(')', 150);
        AssertLimit(() => Render($"{{% macro f(n) %}}{{{{ f({deep}) }}}}{{% endmacro %}}{{{{ f(0) }}}}", Options with { MaxCallDepth = 10_000 }),
            "nested");
    }

    [Test]
    public void Limit_HundredMegabytesOfOutput_StopsAtTheOutputLimit()
    {
        AssertLimit(() => Render("{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}"), "output");
        AssertLimit(() => Render("{{ 'x' * 100000000 }}"), "output limit");
        AssertLimit(() => Render("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}"),
            "output");
        AssertLimit(() => Render("{% set ns = namespace(s=['x']) %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}"),
            "output limit");
    }

    [Test]
    public void Limit_TemplateNestedTenThousandLevels_IsRefusedAtParse()
    {
        const int depth = 10_000;
        string Repeat(string s) => string.Concat(Enumerable.Repeat(s, depth));
        foreach (var source in new[]
                 {
                     Repeat("{% if true %}") + "x" + Repeat("{% endif %}"),
                     Repeat("{% for x in [1] %}") + "x" + Repeat("{% endfor %}"),
                     "{{ " + Repeat("(") + "1" + Repeat(")") + " }}",
                     "{{ " + Repeat("[") + Repeat("]") + " }}",
                     "{{ " + Repeat("{'a': ") + "1" + Repeat("}") + " }}",
                     "{{ " + Repeat("-") + "1 }}",
                     "{{ " + Repeat("not ") + "1 }}",
                     "{{ f(" + Repeat("f(") + Repeat(")") + ") }}",
                 })
        {
            var error = AssertLimit(() => JinjaTemplate.Parse(source).ToString()!, "nested");
            Assert.That(error.Message, Does.Contain("200"), source[..40]);
        }
    }

    [Test]
    public void Limit_LongFlatChains_RenderOrFailCleanly()
    {
        const int length = 10_000;
        var sum = "{{ " + string.Join(" + ", Enumerable.Repeat("1", length)) + " }}";
        var filters = "{{ 'x'" + string.Concat(Enumerable.Repeat("|trim", length)) + " }}";
        var attributes = "{{ d" + string.Concat(Enumerable.Repeat(".a", length)) + " }}";

        foreach (var source in new[] { sum, filters, attributes })
        {
            try
            {
                var output = Render(source);
                Assert.That(output, Is.EqualTo(source == sum ? "10000" : source == filters ? "x" : ""), source[..20]);
            }
            catch (TemplateException e)
            {
                Assert.That(e.Kind, Is.EqualTo(TemplateErrorKind.Limit), e.Message);
            }
        }
    }

    [Test]
    public void Limit_ValueNestedTooDeeplyToPrint_IsACleanError()
    {
        const string build = "{% set ns = namespace(x=[]) %}{% for i in range(60000) %}{% set ns.x = [ns.x] %}{% endfor %}";

        AssertLimit(() => Render(build + "{{ ns.x }}"), "nested too deeply");
        AssertLimit(() => Render(build + "{{ ns.x|tojson }}"), "nested too deeply");
        AssertLimit(() => Render(build + "{{ ns.x == ns.x }}"), "nested too deeply");
    }

    /// <summary>Token soup, seeded: whatever a template says, the engine answers with output or a TemplateException.</summary>
    [Test]
    public void RandomTokenSoup_OnlyEverThrowsTemplateException()
    {
        string[] pieces =
        [
            "{{", "}}", "{%", "%}", "{%-", "-%}", "{#", "#}", "if", "elif", "else", "endif", "for", "in", "endfor", "set",
            "endset", "macro", "endmacro", "filter", "endfilter", "raw", "endraw", "break", "continue", "x", "y", "ns",
            "loop", "(", ")", "[", "]", "{", "}", ",", ":", ".", "|", "=", "==", "+", "-", "*", "/", "//", "%", "**", "~",
            "not", "and", "or", "is", "none", "true", "1", "2.5", "'s'", "\"", "'", "trim", "tojson", "length", "default",
            "namespace", "range", "[::-1]", "\n", " ", "  ", "\t", "text",
        ];
        var random = new Random(20260115);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 20_000; i++)
        {
            var soup = string.Join(random.Next(3) == 0 ? "" : " ",
                Enumerable.Range(0, random.Next(1, 25)).Select(_ => pieces[random.Next(pieces.Length)]));
            var source = random.Next(4) switch
            {
                0 => "{{ " + soup + " }}",
                1 => "{% set ns = namespace(a=[1, 'x']) %}{% for x in " + soup + " %}{{ x }}{% endfor %}",
                2 => "{% if " + soup + " %}y{% endif %}",
                _ => soup,
            };
            string outcome;
            try
            {
                Render(source, Options with { MaxLoopIterations = 10_000 });
                outcome = "rendered";
            }
            catch (TemplateException e)
            {
                outcome = e.Kind.ToString();
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name} for {source}: {e}");
                return;
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        TestContext.Out.WriteLine(string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
        Assert.That(outcomes.Keys, Does.Contain("rendered").And.Contain("Syntax"));
    }
}
