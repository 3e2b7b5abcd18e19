"""axe-core in the browser tests: inject the checker (``npm ci`` installs it
into node_modules, no network at test time) and run the WCAG 2.1 A/AA rules."""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """The WCAG 2.1 A/AA violations of the page as loaded."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (node_modules/axe-core)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            });
            return results.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target.join(' '),
                    html: n.html,
                    summary: n.failureSummary,
                })),
            }));
        }""",
        WCAG_TAGS,
    )


def describe(violations: list[dict], url: str = "") -> str:
    """Violations as a reader wants them in a test failure."""
    lines = [f"{len(violations)} axe violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']}"
        )
        for node in violation["nodes"][:8]:
            lines.append(f"    at {node['target']}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node["summary"] or "").replace("\n", "\n         ")
            lines.append(f"       {summary[:400]}")
    return "\n".join(lines)
