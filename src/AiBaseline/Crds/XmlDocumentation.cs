using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace AiBaseline.Crds;

/// <summary>
/// The summaries of the compiler's XML documentation file for one assembly, so the CRD descriptions that
/// <c>kubectl explain</c> shows come from the same doc comments as the C# types.
/// </summary>
public sealed class XmlDocumentation
{
    private readonly Dictionary<string, string> _summaries;

    private XmlDocumentation(Dictionary<string, string> summaries) => _summaries = summaries;

    /// <summary>Reads <c>&lt;AssemblyName&gt;.xml</c> from the application's directory, where the build and publish copy it.</summary>
    /// <exception cref="FileNotFoundException">The documentation file is not next to the executable.</exception>
    public static XmlDocumentation For(Assembly assembly)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".xml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{path}: the XML documentation of {assembly.GetName().Name} is missing; the CRD descriptions are read from it. Build with GenerateDocumentationFile.",
                path);
        }

        return Parse(XDocument.Load(path));
    }

    /// <summary>Parses a documentation file's content.</summary>
    public static XmlDocumentation Parse(XDocument document)
    {
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in document.Descendants("member"))
        {
            var name = (string?)member.Attribute("name");
            var summary = member.Element("summary");
            if (name is not null && summary is not null)
            {
                var text = Flatten(summary);
                if (text.Length > 0)
                {
                    summaries[name] = text;
                }
            }
        }

        return new XmlDocumentation(summaries);
    }

    /// <summary>The summary of a type, or null when it has none.</summary>
    public string? Of(Type type) => Lookup("T:" + MemberName(type));

    /// <summary>The summary of a property, or null when it has none.</summary>
    public string? Of(PropertyInfo property) =>
        property.DeclaringType is null ? null : Lookup("P:" + MemberName(property.DeclaringType) + "." + property.Name);

    /// <summary>The summary of an enum member, or null when it has none.</summary>
    public string? OfEnumMember(Type enumType, string member) => Lookup("F:" + MemberName(enumType) + "." + member);

    private string? Lookup(string key) => _summaries.GetValueOrDefault(key);

    // Nested types are written with '.' in documentation ids, where reflection uses '+'.
    private static string MemberName(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    // Doc comments are written for IDE tooltips: inline <c> and <see> become their text, and line breaks
    // and indentation collapse to single spaces.
    private static string Flatten(XElement summary)
    {
        var text = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "see" or "seealso" } e => Reference(e),
                XElement { Name.LocalName: "paramref" or "typeparamref" } e => (string?)e.Attribute("name") ?? "",
                XElement e => e.Value,
                _ => "",
            });
        }

        return string.Join(' ', text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Reference(XElement see)
    {
        if (see.Value.Length > 0)
        {
            return see.Value;
        }

        var target = (string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? "";
        var lastDot = target.LastIndexOf('.');
        return lastDot >= 0 ? target[(lastDot + 1)..] : target;
    }
}
