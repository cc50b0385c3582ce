using System.Xml.Linq;
using AiBaseline.Api.V1Alpha1;
using AiBaseline.Engine.Status;

namespace AiBaseline.Audit.Reports;

/// <summary>
/// JUnit XML for CI test tabs: a testsuite per deployment, a testcase per control; NotMet is a failure,
/// NotApplicable, Unknown and Waived are skipped with the control's message (a waived one names its BaselineException).
/// </summary>
public static class JunitReport
{
    /// <summary>The JUnit document.</summary>
    public static string Render(IEnumerable<DeploymentVerdict> verdicts, AuditHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var suites = new XElement("testsuites", new XAttribute("name", "aibaseline audit"));
        foreach (var verdict in verdicts)
        {
            var controls = ControlMessages.All(verdict.Status).ToList();
            var suite = new XElement("testsuite",
                new XAttribute("name", verdict.Id),
                new XAttribute("tests", controls.Count),
                new XAttribute("failures", controls.Count(c => c.Result == ControlResult.NotMet)),
                new XAttribute("skipped", controls.Count(c => c.Result is ControlResult.NotApplicable or ControlResult.Unknown or ControlResult.Waived)),
                new XAttribute("errors", 0),
                new XAttribute("file", verdict.Deployment.File),
                new XAttribute("timestamp", header.EvaluatedAtText),
                new XElement("properties",
                    new XElement("property", new XAttribute("name", "tool-version"), new XAttribute("value", AuditHeader.Tool.Version)),
                    new XElement("property", new XAttribute("name", "catalog"), new XAttribute("value", AuditHeader.CatalogText)),
                    new XElement("property", new XAttribute("name", "profile"), new XAttribute("value", $"{verdict.ProfileName} ({verdict.ProfileSource})")),
                    new XElement("property", new XAttribute("name", "profile-sha256"), new XAttribute("value", verdict.ProfileSha256 ?? "not found")),
                    new XElement("property", new XAttribute("name", "verdict"), new XAttribute("value", (verdict.Status.Summary?.Verdict ?? ConformityVerdict.Inconclusive).ToString())),
                    new XElement("property", new XAttribute("name", "ready"), new XAttribute("value", verdict.Ready?.Status ?? "Unknown"))));
            foreach (var control in controls)
            {
                var testcase = new XElement("testcase",
                    new XAttribute("name", control.Name),
                    new XAttribute("classname", verdict.Id),
                    new XAttribute("file", verdict.Deployment.File),
                    new XAttribute("line", verdict.Deployment.Line));
                var message = control.Message;
                var text = $"{control.Reason}: {message} (EN 304 223 {string.Join(", ", control.Provisions)})";
                switch (control.Result)
                {
                    case ControlResult.NotMet:
                        testcase.Add(new XElement("failure", new XAttribute("type", control.Reason), new XAttribute("message", message), text));
                        break;
                    case ControlResult.NotApplicable or ControlResult.Unknown or ControlResult.Waived:
                        testcase.Add(new XElement("skipped", new XAttribute("message", $"{control.Result}: {text}")));
                        break;
                }

                suite.Add(testcase);
            }

            suites.Add(suite);
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites).ToString();
    }
}
