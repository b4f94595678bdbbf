"""The plan as a PDF, rendered here by WeasyPrint from the same page a person prints.

WeasyPrint fetches the page's stylesheets and images through `_OwnFiles`, which answers from
our static folder and the clinic profile in memory and refuses everything else: rendering
never makes a network request, so a page can neither leak answers nor be slowed by one.
"""

from __future__ import annotations

import html as markup
import logging
import mimetypes
import re
from typing import Any
from urllib.parse import urlsplit

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join

from recommender.model.clinic import Clinic
from recommender.web.app.figure_classes import in_full
from recommender.web.app.static_files import plain_name
from recommender.web.pages.branding import theme_css

# Relative links in the page resolve against this; it is never contacted.
BASE_URL = "https://plan.invalid/"

# WeasyPrint warns about every screen-only CSS property it skips, on every PDF, and some of
# its warnings name parts of the plan. Keep its errors (a file that failed to load) only.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def render_pdf(html: str, clinic: Clinic | None, static_folder: str) -> bytes:
    """The page as a PDF, with the stylesheets and images it names from `static_folder` and
    the clinic's profile. Runs in a renderer process (recommender/web/pdf/pool.py)."""
    pdf: bytes = lay_out(html, clinic, static_folder).write_pdf()
    return pdf


def lay_out(html: str, clinic: Clinic | None, static_folder: str) -> Document:
    """The page laid out on paper as the PDF prints it."""
    stylesheets = [small_print_on_every_page(html)]
    if clinic is not None and clinic.profile.paper == "Letter":
        stylesheets.append(CSS(string="@page { size: letter; }"))
    page = HTML(string=in_full(html), base_url=BASE_URL, url_fetcher=_OwnFiles(clinic, static_folder))
    document: Document = page.render(stylesheets=stylesheets)
    return document


# The page's small print (`print_footer` in templates/_plan_parts.html): a paragraph a line.
_FOOTER = re.compile(r'<footer class="print-footer[^"]*">(.*?)</footer>', re.S)
_LINE = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")


def small_print_on_every_page(html: str) -> CSS:
    """A browser prints the page's small print once, at the end (static/plan.css); in the PDF it
    goes at the foot of every page instead, so that any page on its own says which rules made
    it. A page with no small print keeps its footer as the stylesheet has it."""
    found = _FOOTER.search(html)
    if found is None:
        return CSS(string="")
    lines = [" ".join(markup.unescape(_TAG.sub("", line)).split()) for line in _LINE.findall(found[1])]
    content = r' "\A" '.join(_css_string(line) for line in lines)
    return CSS(string=(
        "@page { @bottom-left { content: " + content + " !important; white-space: pre !important;"
        " font-size: 6.5pt !important; } }\n"
        ".print-footer { display: none !important; }"))


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _OwnFiles(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    def __init__(self, clinic: Clinic | None, static_folder: str) -> None:
        super().__init__(allowed_protocols=["https"])
        self.clinic = clinic
        self.static_folder = static_folder

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if not url.startswith(BASE_URL):
            raise ValueError(f"the PDF uses only our own files, not {url}")
        path = parts.path
        if path.startswith("/static/"):
            found = safe_join(self.static_folder, plain_name(path.removeprefix("/static/")))
            if found is None:
                raise ValueError(f"no static file at {path}")
            with open(found, "rb") as file:
                content = file.read()
            media_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(url, content, {"Content-Type": media_type})
        clinic = self.clinic
        if clinic is not None and path == f"/embed/{clinic.slug}/theme.css":
            return URLFetcherResponse(url, theme_css(clinic), {"Content-Type": "text/css"})
        if clinic is not None and clinic.logo is not None and path == f"/embed/{clinic.slug}/logo":
            return URLFetcherResponse(url, clinic.logo.content, {"Content-Type": clinic.logo.media_type})
        raise ValueError(f"the PDF cannot include {path}")
