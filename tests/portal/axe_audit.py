"""axe-core, the npm package (tests/portal/axe, installed by ``scripts/setup.sh --dev``), run
in a Playwright page of Debian's Chromium: WCAG 2.0/2.1 A and AA and axe's best practices.

``audit(page, what)`` injects ``axe.min.js`` into the page as it is now (after a form was
sent, a dialog opened, the width changed) and raises with a readable list of every
violation: the rule, its impact, the elements (CSS selectors), what to fix and the rule's
help page.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_FOLDER = Path(__file__).resolve().parent / "axe"
AXE_SCRIPT = AXE_FOLDER / "node_modules" / "axe-core" / "axe.min.js"
# The rule sets axe runs: every WCAG 2.0 and 2.1 rule at levels A and AA, and axe's own
# best practices (headings in order, one main landmark, content inside landmarks, ...).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


class AxeViolations(AssertionError):
    """axe-core found violations on a page."""


def axe_version() -> str:
    """The installed axe-core's version (the one package-lock.json pins)."""
    manifest = AXE_FOLDER / "node_modules" / "axe-core" / "package.json"
    return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])


def locked_version() -> str:
    lock = json.loads((AXE_FOLDER / "package-lock.json").read_text(encoding="utf-8"))
    return str(lock["packages"]["node_modules/axe-core"]["version"])


@functools.cache
def _source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def run_axe(page: Page) -> dict[str, Any]:
    """axe.run on the whole document as it is now; its raw results."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, which the portal's Content-Security-Policy
        # (script-src 'self') does not govern: the page keeps its real policy.
        page.evaluate(f"{_source()}\n;typeof window.axe")
    results = page.evaluate(
        """(tags) => window.axe.run(document, {
               runOnly: {type: "tag", values: tags},
               resultTypes: ["violations"],
           })""",
        TAGS,
    )
    assert isinstance(results, dict)
    return results


def describe(violations: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact given'}): "
            f"{violation['help']} — {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(json.dumps(t) for t in node["target"])
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


def audit(page: Page, what: str) -> int:
    """Run axe on the page; raise :class:`AxeViolations` listing every violation. Returns
    the number of rules that passed (so a caller can see the run did check something)."""
    if not AXE_SCRIPT.exists():
        raise AssertionError(
            f"{AXE_SCRIPT} is missing: run scripts/setup.sh --dev (npm ci in {AXE_FOLDER})"
        )
    results = run_axe(page)
    violations = results["violations"]
    if violations:
        raise AxeViolations(
            f"axe-core {results['testEngine']['version']}: {len(violations)} rule(s) violated "
            f"on {what} ({page.url}):\n{describe(violations)}"
        )
    return len(results.get("passes", []))
