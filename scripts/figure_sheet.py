"""Every catalogue entry's figures on one page, at the size a phone's card shows them, to look
at side by side: does each show its movement, and do the pairs people confuse look different?

    PYTHONPATH=. .venv/bin/python scripts/figure_sheet.py OUT.png [EXERCISE ...]

Writes OUT.html next to the picture. Each pose is drawn about 165 px wide, with its name under
it, as a result card does on a phone; the end pose carries the faint start under it.
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

from playwright.sync_api import sync_playwright

from recommender.drawing.svg import draw_figure
from recommender.loading.figures import load_figures
from recommender.loading.rules import load_ruleset

ROOT = Path(__file__).resolve().parents[1]
POSE_WIDTH = 165
NAMES = {"start": "Start", "middle": "Middle", "end": "End"}


def sheet(rules: Path, only: list[str]) -> str:
    ruleset = load_ruleset(rules)
    entries = []
    for figure in load_figures(rules).book.figures:
        if only and figure.exercise not in only:
            continue
        name = ruleset.exercises[figure.exercise].name
        poses = "".join(
            f'<figure class="figure-pose figure-{drawing.pose}">{drawing.svg}'
            f"<figcaption>{NAMES[drawing.pose]}</figcaption></figure>"
            for drawing in draw_figure(figure, name) if drawing.pose != "middle")
        entries.append(f'<section><h2>{escape(name)} <small>{figure.view}</small></h2>'
                       f'<div class="figures">{poses}</div></section>')
    css = (ROOT / "static" / "plan.css").read_text()
    return (f"<!doctype html><meta charset=utf-8><style>{css}\n"
            "body { margin: 8px; display: grid; grid-template-columns: repeat(4, auto); gap: 6px 14px; }\n"
            "h2 { font-size: 13px; margin: 0; } small { color: #777; font-weight: normal; }\n"
            f".figures {{ width: {2 * POSE_WIDTH + 8}px; max-width: none; margin: 2px 0; gap: 8px; }}\n"
            "</style>" + "".join(entries))


def main() -> None:
    out = Path(sys.argv[1])
    html = out.with_suffix(".html")
    html.write_text(sheet(ROOT / "rules", sys.argv[2:]))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium-headless-shell", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1420, "height": 900})
        page.goto(html.as_uri())
        page.screenshot(path=str(out), full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
