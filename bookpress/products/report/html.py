"""Review data -> index.html: a self-contained page (inline CSS, no script) a reviewer opens in any browser.

Sections: the build identity, the findings (each linked to its page), the pages
changed since the previous proof, a contact sheet of thumbnails laid out as the
book opens (page 1 alone on the right), then one large view per page.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Optional

from ...book import LaidOutBook, Page, sheets_for
from ...diagnostics import Diagnostic, Severity
from .findings import Findings
from .renders import PageImages, Region

STYLE = """
:root { --ink: #1d1d1f; --muted: #6b6b70; --line: #d9d9de; --changed: #e8590c; --error: #c92a2a;
        --warning: #e67700; --note: #1971c2; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
       background: #f4f4f6; }
header, section { max-width: 1180px; margin: 0 auto; padding: 18px 24px; }
header { border-bottom: 1px solid var(--line); background: #fff; max-width: none; }
header h1 { margin: 0 0 4px; font-size: 22px; }
.identity { color: var(--muted); margin: 0; }
.summary { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 10px; }
.summary a { text-decoration: none; color: inherit; background: #f1f3f5; border-radius: 6px; padding: 4px 10px; }
h2 { font-size: 17px; margin: 8px 0 10px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
td, th { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
.sev { font-weight: 600; text-transform: uppercase; font-size: 12px; }
.sev.error { color: var(--error); } .sev.warning { color: var(--warning); } .sev.note { color: var(--note); }
.changes a { margin-right: 10px; color: var(--changed); font-weight: 600; }
.sheet { display: flex; flex-wrap: wrap; gap: 18px 26px; }
.spread { display: flex; background: #fff; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
.slot { display: block; position: relative; text-decoration: none; color: var(--muted); }
.slot.empty { background: #e9e9ed; }
.slot img { display: block; }
.slot .label { position: absolute; bottom: -19px; left: 0; right: 0; text-align: center; font-size: 12px; }
.slot.changed { outline: 3px solid var(--changed); outline-offset: -3px; }
.slot.flagged .label::after { content: " \\25CF"; color: var(--error); }
.change { position: absolute; border: 2px solid var(--changed); background: rgba(232, 89, 12, .12);
          pointer-events: none; }
.page { background: #fff; margin: 22px 0; padding: 14px 18px; border: 1px solid var(--line); }
.page:target { border-color: var(--note); box-shadow: 0 0 0 3px rgba(25, 113, 194, .25); }
.page.changed h3::after { content: "changed since the previous proof"; margin-left: 10px; font-size: 12px;
                          color: #fff; background: var(--changed); padding: 2px 8px; border-radius: 10px; }
.page h3 { margin: 0 0 8px; font-size: 16px; }
.page .view { position: relative; display: inline-block; max-width: 100%; }
.page .view img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); }
.page nav a { margin-right: 14px; font-size: 13px; }
.empty-note { color: var(--muted); }
"""


@dataclass(frozen=True)
class ReviewPage:
    page: Page
    images: PageImages
    change: Optional[Region]  # None: unchanged (or no previous proof)
    findings: tuple[Diagnostic, ...]

    @property
    def anchor(self) -> str:
        return page_anchor(self.page)


@dataclass(frozen=True)
class ReviewDoc:
    book: LaidOutBook
    pages: tuple[ReviewPage, ...]
    findings: Findings
    identity_line: str
    proof_href: str  # the proof PDF, relative to the report folder
    previous: Optional[str]  # "the proof of <date> (build <hash>)", None for a first proof
    removed: int = 0  # pages the previous proof had beyond this one's end


def page_anchor(page: Page) -> str:
    return f"page-{page.label}"


def render_html(doc: ReviewDoc) -> str:
    title = escape(doc.book.meta.title)
    parts = [f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
             f"<title>Review: {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
             _header(doc), _findings(doc), _changes(doc), _contact_sheet(doc), _page_views(doc), "</body>\n</html>\n"]
    return "".join(parts)


def _header(doc: ReviewDoc) -> str:
    changed = sum(1 for p in doc.pages if p.change)
    errors, warnings = doc.findings.count(Severity.ERROR), doc.findings.count(Severity.WARNING)
    return (f'<header>\n<h1>{escape(doc.book.meta.title)}: proof for review</h1>\n'
            f'<p class="identity">{escape(doc.identity_line)} · {len(doc.pages)} pages · '
            f'<a href="{escape(doc.proof_href)}">open the proof PDF</a></p>\n<div class="summary">'
            f'<a href="#findings">{_count(errors, "error")}, {_count(warnings, "warning")}</a>'
            f'<a href="#changes">{_count(changed, "page")} changed</a><a href="#pages">all pages</a></div>\n'
            "</header>\n")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _findings(doc: ReviewDoc) -> str:
    rows = []
    for finding in doc.findings.items:
        where = "the whole book"
        if finding.page is not None:
            page = doc.pages[finding.page.index].page
            where = f'<a class="goto" href="#{page_anchor(page)}">page {escape(page.label)}</a>'
        if finding.where:
            where += f'<br><code>{escape(finding.where)}</code>'
        rows.append(f'<tr><td class="sev {finding.severity.value}">{finding.severity.value}</td>'
                    f"<td>{escape(finding.message)}</td><td>{where}</td></tr>")
    body = ("<table>\n<tr><th>severity</th><th>finding</th><th>where</th></tr>\n" + "\n".join(rows) + "\n</table>"
            if rows else '<p class="empty-note">Nothing to report.</p>')
    return f'<section id="findings">\n<h2>Preflight findings</h2>\n{body}\n</section>\n'


def _changes(doc: ReviewDoc) -> str:
    if doc.previous is None:
        text = '<p class="empty-note">This is the first proof: there is nothing to compare with yet.</p>'
    else:
        links = [f'<a href="#{p.anchor}">page {escape(p.page.label)}</a>' for p in doc.pages if p.change]
        summary = f"Compared with {escape(doc.previous)}: "
        summary += f"{len(links)} of {len(doc.pages)} pages changed." if links else "no page changed."
        if doc.removed:
            summary += f" The previous proof had {doc.removed} more pages."
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
    classes = "slot" + (" changed" if item.change else "") + (" flagged" if item.findings else "")
    w, h = item.images.thumb_size
    return (f'<a class="{classes}" id="thumb-{escape(item.page.label)}" href="#{item.anchor}" '
            f'title="page {escape(item.page.label)}"><img src="{item.images.thumb}" width="{w}" height="{h}" '
            f'alt="page {escape(item.page.label)}">{_highlight(item.change)}'
            f'<span class="label">{escape(item.page.label)}</span></a>')


def _highlight(region: Optional[Region]) -> str:
    if region is None:
        return ""
    return (f'<span class="change" style="left:{region.left:.2%};top:{region.top:.2%};'
            f'width:{region.width:.2%};height:{region.height:.2%}"></span>')


def _page_views(doc: ReviewDoc) -> str:
    return '<section id="views">\n' + "\n".join(_page_view(doc, p) for p in doc.pages) + "\n</section>\n"


def _page_view(doc: ReviewDoc, item: ReviewPage) -> str:
    page = item.page
    about = ", ".join(x for x in (page.chapter, page.kind.replace("-", " ")) if x)
    notes = "".join(f'<li><span class="sev {f.severity.value}">{f.severity.value}</span> {escape(f.message)}</li>'
                    for f in item.findings)
    w, h = item.images.view_size
    return (f'<article class="page{" changed" if item.change else ""}" id="{item.anchor}" '
            f'data-label="{escape(page.label)}" data-index="{page.index}">\n'
            f"<h3>Page {escape(page.label)} <small>({escape(about)}; sheet {page.number} of "
            f"{len(doc.pages)})</small></h3>\n" + (f"<ul>{notes}</ul>\n" if notes else "")
            + f'<div class="view"><img src="{item.images.view}" width="{w}" height="{h}" loading="lazy" '
            f'alt="page {escape(page.label)}">{_highlight(item.change)}</div>\n'
            f'<nav><a href="#pages">all pages</a><a href="{escape(doc.proof_href)}#page={page.number}">'
            f"this page in the proof PDF</a></nav>\n</article>")
