"""Figures on our pages take their shared colours and line widths from the page's stylesheet
(static/plan.css, "figures by class") instead of each carrying them: a plan page shows some forty
drawings, and the same few groups and limb widths repeat in every one. WeasyPrint does not apply
a page's stylesheet to SVG, so the PDF puts them back first (`in_full`)."""

from __future__ import annotations

import re
from functools import lru_cache

from recommender.drawing.skeleton import RADIUS
from recommender.drawing.svg import ACCENT, GHOST, NEAR, PROP_FILL, PROP_LINE

# Each group as the drawing writes it (recommender/drawing/svg.py), and its class; and the head.
GROUPS = {
    f'<g stroke="{PROP_LINE}" fill="{PROP_FILL}" stroke-width="1.5">': '<g class="fp">',
    f'<g fill="none" stroke-linecap="round" stroke-linejoin="round" stroke="{NEAR}">': '<g class="fb">',
    f'<g stroke="{ACCENT}" stroke-width="2.5" stroke-linecap="round">': '<g class="fa">',
    f'<g stroke="{GHOST}" stroke-width="{2 * RADIUS["thigh"]:g}">': '<g class="fg">',
    f' fill="{NEAR}"/>': ' class="fh"/>',
}
# A limb's own width, the last attribute of its line: class "w14" for 14.
LIMB_WIDTHS = sorted({f"{2 * radius:g}" for radius in RADIUS.values()}, key=float)
_WIDTH = re.compile(rf' stroke-width="({"|".join(LIMB_WIDTHS)})"/>')
_WIDTH_CLASS = re.compile(rf' class="w({"|".join(LIMB_WIDTHS)})"/>')
_BY_CLASS = re.compile("|".join(re.escape(group) for group in GROUPS))
_IN_FULL = {by_class: group for group, by_class in GROUPS.items()}
_CLASS = re.compile("|".join(re.escape(by_class) for by_class in _IN_FULL))


@lru_cache(maxsize=2048)
def by_class(svg: str) -> str:
    """A drawing as a page shows it: its shared groups and limb widths named by class."""
    return _WIDTH.sub(r' class="w\1"/>', _BY_CLASS.sub(lambda found: GROUPS[found[0]], svg))


def in_full(html: str) -> str:
    """A page with every drawing's classes spelt out again, for a renderer without the page's
    stylesheet in its SVG."""
    return _WIDTH_CLASS.sub(r' stroke-width="\1"/>', _CLASS.sub(lambda found: _IN_FULL[found[0]], html))
