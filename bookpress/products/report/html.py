"""Review data -> index.html: a self-contained page (inline CSS, no script) a reviewer opens in any browser.

Sections: the build identity, the findings grouped by kind (each linked to its page and
naming its manuscript line), the pages changed since the previous proof, a contact sheet
of thumbnails laid out as the book opens (page 1 alone on the right), then one large view
per page. A page with photos shows the soft proof, and can be switched (CSS only) to the
photos' screen colours, the total-ink heat map, or the gamut warning over the soft proof.
Pages are named as prepress and the reader both do: "sheet 20, p. 12".
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Optional

from ...book import LaidOutBook, Page, sheets_for
from ...diagnostics import Diagnostic, PageRef, Severity
from ...images.softproof import GAMUT_COLOUR, heat_colour
from .findings import Findings
from .renders import PageImages, Region
from .style import STYLE

# The page-view layers a reviewer can switch between (radio) or lay over the soft proof (checkbox).
VIEWS = (("proof", "Soft proof"), ("screen", "Screen colours"), ("ink", "Total ink"))
LEGEND_SHARES = (0.0, 0.4, 0.7, 0.9, 1.0, 1.1)  # of the ink limit: the heat map's legend


@dataclass(frozen=True)
class ReviewPage:
    page: Page
    images: PageImages
    change: Optional[Region]  # None: unchanged (or no previous proof)
    findings: tuple[Diagnostic, ...]

    @property
    def anchor(self) -> str:
        return page_anchor(self.page)

    @property
    def name(self) -> str:
        return page_name(self.page)


@dataclass(frozen=True)
class ReviewDoc:
    book: LaidOutBook
    pages: tuple[ReviewPage, ...]
    findings: Findings
    identity_line: str
    proof_href: str  # the proof PDF, relative to the report folder
    previous: Optional[str]  # "the proof of <date> (build <hash>)", None for a first proof
    removed: int = 0  # pages the previous proof had beyond this one's end
    simulated: Optional[str] = None  # the press condition the photos are soft-proofed for, if they are
    ink_limit: Optional[int] = None
    edition: Optional[str] = None
    colour_change: Optional[str] = None  # the previous proof showed the photos otherwise (soft proof or not)


def page_anchor(page: Page) -> str:
    return f"page-{page.label}"


def page_name(page: Page) -> str:
    return PageRef(page.index, page.label).name


def render_html(doc: ReviewDoc) -> str:
    title = escape(doc.book.meta.title)
    parts = [f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
             f"<title>Review: {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
             _header(doc), _findings(doc), _changes(doc), _contact_sheet(doc), _toggles(doc), _page_views(doc),
             "</body>\n</html>\n"]
    return "".join(parts)


def _header(doc: ReviewDoc) -> str:
    changed = sum(1 for p in doc.pages if p.change)
    counts = ", ".join(_count(doc.findings.count(s), s.value) for s in Severity)
    edition = f" <small>(edition {escape(doc.edition)})</small>" if doc.edition else ""
    simulated = (f'<p class="simulated">Photos are soft-proofed: shown as they will print on '
                 f"{escape(doc.simulated)}. The page views can show them in screen colours, as a total-ink map "
                 "or with a gamut warning.</p>\n" if doc.simulated else
                 '<p class="simulated">Photos are shown in screen colours (this proof is not soft-proofed).</p>\n')
    return (f'<header>\n<h1>{escape(doc.book.meta.title)}: proof for review{edition}</h1>\n'
            f'<p class="identity">{escape(doc.identity_line)} · {len(doc.pages)} pages · '
            f'<a href="{escape(doc.proof_href)}">open the proof PDF</a></p>\n{simulated}<div class="summary">'
            f'<a href="#findings">{counts}</a><a href="#changes">{_count(changed, "page")} changed</a>'
            '<a href="#pages">all pages</a></div>\n</header>\n')


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _findings(doc: ReviewDoc) -> str:
    groups = doc.findings.groups()
    if not groups:
        return '<section id="findings">\n<h2>Findings</h2>\n<p class="empty-note">Nothing to report.</p>\n</section>\n'
    kinds = "".join(f'<a href="#kind-{kind}">{escape(title)}<b>{len(items)}</b></a>' for kind, title, items in groups)
    tables = [f'<h3 class="kind" id="kind-{kind}">{escape(title)} <small>({len(items)})</small></h3>\n'
              "<table>\n" + "\n".join(_finding_row(doc, f) for f in items) + "\n</table>"
              for kind, title, items in groups]
    return (f'<section id="findings">\n<h2>Findings</h2>\n<nav class="kinds">{kinds}</nav>\n'
            + "\n".join(tables) + "\n</section>\n")


def _finding_row(doc: ReviewDoc, finding: Diagnostic) -> str:
    where = "the whole book"
    if finding.page is not None and finding.page.index < len(doc.pages):
        page = doc.pages[finding.page.index].page
        where = f'<a class="goto" href="#{page_anchor(page)}">{escape(page_name(page))}</a>'
    if finding.where:
        where += f"<br><code>{escape(finding.where)}</code>"
    hint = f'<div class="hint">{escape(finding.hint)}</div>' if finding.hint else ""
    return (f'<tr><td class="where">{where}</td><td class="sev {finding.severity.value}">{finding.severity.value}'
            f"</td><td>{escape(finding.message)}{hint}</td></tr>")


def _changes(doc: ReviewDoc) -> str:
    if doc.previous is None:
        text = '<p class="empty-note">This is the first proof: there is nothing to compare with yet.</p>'
    else:
        links = [f'<a href="#{p.anchor}">{escape(p.name)}</a>' for p in doc.pages if p.change]
        summary = f"Compared with {escape(doc.previous)}: "
        summary += f"{len(links)} of {len(doc.pages)} pages changed." if links else "no page changed."
        if doc.removed:
            summary += f" The previous proof had {doc.removed} more pages."
        if doc.colour_change:
            summary += f" {escape(doc.colour_change)}"
        text = f'<p>{summary}</p>\n<p class="changes">{" ".join(links)}</p>'
    return f'<section id="changes">\n<h2>Changed since the previous proof</h2>\n{text}\n</section>\n'


def _contact_sheet(doc: ReviewDoc) -> str:
    spreads = []
    for sheet in sheets_for(len(doc.pages)):
        left = doc.pages[sheet.left] if sheet.left is not None else None
        right = doc.pages[sheet.right] if sheet.right is not None else None
        spreads.append(f'<div class="spread">{_thumb(left, right or left)}{_thumb(right, left or right)}</div>')
    return ('<section id="pages">\n<h2>Pages, as the book opens</h2>\n<div class="sheet">\n'
            + "\n".join(spreads) + "\n</div>\n</section>\n")


def _thumb(item: Optional[ReviewPage], partner: ReviewPage) -> str:
    if item is None:
        w, h = partner.images.thumb_size
        return f'<span class="slot empty" style="width:{w}px;height:{h}px"></span>'
    errors = any(f.severity is Severity.ERROR for f in item.findings)
    classes = "slot" + (" changed" if item.change else "") + (" flagged" if item.findings else "") + \
        (" has-error" if errors else "")
    w, h = item.images.thumb_size
    name = escape(item.name)
    return (f'<a class="{classes}" id="thumb-{escape(item.page.label)}" href="#{item.anchor}" title="{name}">'
            f'<img src="{item.images.thumb}" width="{w}" height="{h}" alt="{name}">{_highlight(item.change)}'
            f'<span class="label">{name}</span></a>')


def _highlight(region: Optional[Region]) -> str:
    if region is None:
        return ""
    return (f'<span class="change" style="left:{region.left:.2%};top:{region.top:.2%};'
            f'width:{region.width:.2%};height:{region.height:.2%}"></span>')


def _toggles(doc: ReviewDoc) -> str:
    """The switches' state, kept in inputs before the page views so that CSS alone can show the chosen layer."""
    if doc.simulated is None:
        return ""
    radios = "".join(f'<input class="toggle" type="radio" name="view" id="show-{kind}"{" checked" * (i == 0)}>'
                     for i, (kind, _) in enumerate(VIEWS))
    return radios + '<input class="toggle" type="checkbox" id="show-gamut">\n'


def _toolbar(doc: ReviewDoc) -> str:
    if doc.simulated is None:
        return ""
    labels = "".join(f'<label for="show-{kind}">{title}</label>' for kind, title in VIEWS)
    swatches = "".join(f'<i style="background:rgb{heat_colour(share)}"></i>{share * (doc.ink_limit or 300):.0f}%'
                       for share in LEGEND_SHARES)
    return (f'<div class="toolbar">View: {labels}<label for="show-gamut">Gamut warning</label>'
            f'<span class="legend ink">total ink (limit {doc.ink_limit}%): {swatches}</span>'
            f'<span class="legend gamut"><i style="background:rgb{GAMUT_COLOUR}"></i>colours the press cannot '
            f"print</span></div>\n")


def _page_views(doc: ReviewDoc) -> str:
    return ('<section id="views">\n' + _toolbar(doc) + "\n".join(_page_view(doc, p) for p in doc.pages)
            + "\n</section>\n")


def _page_view(doc: ReviewDoc, item: ReviewPage) -> str:
    page = item.page
    about = ", ".join(x for x in (page.chapter, page.kind.replace("-", " ")) if x)
    notes = "".join(f'<li><span class="sev {f.severity.value}">{f.severity.value}</span> {escape(f.message)}'
                    + (f'<div class="hint">{escape(f.hint)}</div>' if f.hint else "") + "</li>"
                    for f in item.findings)
    w, h = item.images.view_size
    # Backgrounds of hidden elements are not fetched: a layer is loaded only when it is switched on.
    layers = "".join(f'<div class="layer {kind}" style="background-image:url(\'{path}\')" role="img" '
                     f'aria-label="{escape(item.name)}: {kind}"></div>' for kind, path in item.images.layers)
    return (f'<article class="page{" changed" if item.change else ""}" id="{item.anchor}" '
            f'data-label="{escape(page.label)}" data-index="{page.index}">\n'
            f"<h3>{escape(item.name[0].upper() + item.name[1:])} <small>({escape(about)}; {page.number} of "
            f"{len(doc.pages)} in the PDF)</small></h3>\n" + (f"<ul>{notes}</ul>\n" if notes else "")
            + f'<div class="view"><img src="{item.images.view}" width="{w}" height="{h}" loading="lazy" '
            f'alt="{escape(item.name)}">{layers}{_highlight(item.change)}</div>\n'
            f'<nav><a href="#pages">all pages</a><a href="#findings">findings</a>'
            f'<a href="{escape(doc.proof_href)}#page={page.number}">this page in the proof PDF</a></nav>\n</article>')
