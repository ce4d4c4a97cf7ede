"""Back matter -> page drafts: the photo credits (by photographer, with pages and positions) and the colophon."""

from __future__ import annotations

from dataclasses import replace

from .. import __version__
from ..book import PlacedText
from ..model import TextStyle
from .context import LayoutContext
from .credits import caption_shown, credit_of, grouped, manuscript_credits, uses
from .flow import Flow
from .furniture import join_names, trim_size
from .stream import PageDraft, PageStream
from .text.inline import escape

READABLE = 30.0  # ems: a line of the credits or the colophon holds some 65 characters at most


def _scaled(style: TextStyle, factor: float) -> TextStyle:
    return replace(style, size=style.size * factor, leading=style.leading * factor)


class BackMatter:
    def __init__(self, ctx: LayoutContext, first_index: int, body: list[PageDraft], body_labels: list[str],
                 fonts: list[str]) -> None:
        self.ctx, self.body, self.body_labels, self.fonts = ctx, body, body_labels, fonts
        self.stream = PageStream(first_index)
        self.outline: list[tuple[str, int, int]] = []

    def build(self, parts: tuple[str, ...]) -> list[PageDraft]:
        makers = {"photo-credits": self._photo_credits, "colophon": self._colophon}
        for part in parts:
            makers[part]()  # the schema allows only these names
        return self.stream.pages

    def _heading_page(self, flow: Flow, title: str) -> PageDraft:
        style = self.ctx.manuscript.style
        self.stream.ensure_side("recto")
        page = flow.new_page()
        page.running_head = False
        page.kind = flow.kind
        self.outline.append((title, self.stream.pages.index(page), 0))
        live = self.ctx.live(page.side)
        heading = _scaled(style.title, 0.8)
        lines = self.ctx.set_text(escape(title), heading, live.width, align="left", hyphenate=False)
        page.items.extend(self.ctx.place_lines(lines, heading, live.x, live.y, "title"))
        page.cursor = live.y + live.height * 0.12
        return page

    def _measure(self, style: TextStyle, live_width: float) -> float:
        return min(live_width, style.size * READABLE)

    def credits(self) -> list[tuple[str, list[str]]]:
        """(photographer, where: '12 top', '14–15', 'cover') for every photo printed, by photographer."""
        words = self.ctx.manuscript.words
        found = uses(self.body, self.body_labels, words.position_words())
        return grouped(found, manuscript_credits(self.ctx.manuscript), self.ctx.manuscript.cover.photo, words.cover)

    def _captions_not_shown(self) -> list[tuple[str, str]]:
        """(page, caption and 'Photo: NAME') for photos whose caption their page had no room or frame for."""
        words = self.ctx.manuscript.words
        given = manuscript_credits(self.ctx.manuscript)
        out = []
        for use in uses(self.body, self.body_labels, words.position_words()):
            page = self.body[self.body_labels.index(use.page.split("–")[0])]
            printed = " ".join(item.text for item in page.items if isinstance(item, PlacedText)
                               and item.role == "caption")
            if use.photo.caption and not caption_shown(use.photo, printed):
                credit = credit_of(use.photo, given)
                said = f" *{escape(words.say('photo', name=credit)).rstrip('.')}.*" if credit else ""
                caption = use.photo.caption.rstrip()
                if said and caption.rstrip("*_")[-1:].isalnum():  # an embedded description ends in no stop
                    caption += "."
                out.append((f"{use.page} {use.position}".strip(), caption + said))
        return out

    def _photo_credits(self) -> None:
        rows = self.credits()
        captions = self._captions_not_shown()
        if not rows and not captions:
            return
        style = self.ctx.manuscript.style
        flow = Flow(self.ctx, self.stream, kind="credits")
        words = self.ctx.manuscript.words
        self._heading_page(flow, words.photo_credits)
        entry = _scaled(style.body, 0.95)
        for name, places in rows:
            self._entry(flow, f"{self._strong(escape(name), entry)}  {escape(', '.join(places))}", entry)
        if captions:
            flow.skip(entry.leading)
            page = flow.current()
            live = self.ctx.live(page.side)
            lines = self.ctx.set_text(escape(words.captions), style.heading, live.width, align="left",
                                      hyphenate=False)
            flow.add_lines(lines, style.heading, "heading", keep_together=True)
            flow.page.cursor += entry.leading * 0.4
            small = _scaled(style.caption, 1.05)
            for where, caption in captions:
                self._entry(flow, f"{self._strong(escape(where), small)}  {caption}", small)
        flow.close()

    def _strong(self, markup: str, style: TextStyle) -> str:
        """A credit's lead (a name, a page) set off in bold; in italic where the family has no bold face.
        The author chose the family, bookpress the emphasis: it must not warn of a face nobody asked for."""
        fonts = self.ctx.fonts
        if fonts.has_face(style.font, "bold"):
            return f"**{markup}**"
        return f"*{markup}*" if fonts.has_face(style.font, "italic") else markup

    def _entry(self, flow: Flow, text: str, style: TextStyle) -> None:
        page = flow.current()
        live = self.ctx.live(page.side)
        lines = self.ctx.set_text(text, style, self._measure(style, live.width), align="left", hyphenate=False)
        flow.add_lines(lines, style, "credits", keep_together=True)
        flow.page.cursor += style.leading * 0.35

    def colophon_text(self) -> str:
        meta, words = self.ctx.manuscript.meta, self.ctx.manuscript.words
        trim = self.ctx.geometry.trim
        paper = getattr(words, f"paper_{self.ctx.manuscript.print.paper}", words.paper_white)
        return words.say("colophon_text", title=f"*{escape(meta.title)}*", version=__version__,
                         fonts=escape(join_names(self.fonts, words.language, self.ctx.paragraphs)), paper=escape(paper),
                         trim=trim_size(trim.width, trim.height, words.language, self.ctx.paragraphs))

    def _colophon(self) -> None:
        """A few sentences at the foot of the credits' last page when they fit there, else on a page of their own."""
        style, words = self.ctx.manuscript.style, self.ctx.manuscript.words
        last = self.stream.pages[-1] if self.stream.pages else None
        live = self.ctx.live(last.side if last is not None else self.stream.next_side)
        width = self._measure(style.body, live.width * 0.7)
        lines = self.ctx.set_text(self.colophon_text(), style.body, width, align="center")
        heading = self.ctx.set_text(escape(words.colophon), style.heading, width, align="center")
        height = style.heading.leading * 1.8 + len(lines) * style.body.leading
        if last is not None and last.kind == "credits" and last.cursor is not None \
                and last.cursor + style.body.leading * 3 + height <= live.bottom:
            page, top = last, live.bottom - height  # the credits' page: the colophon set at its foot
        else:
            page = self.stream.new_page("colophon", running_head=False)
            live = self.ctx.live(page.side)
            top = live.y + live.height * 0.55
        self.outline.append((words.colophon, self.stream.pages.index(page), 0))
        x = live.x + (live.width - width) / 2
        page.items.extend(self.ctx.place_lines(heading, style.heading, x, top, "heading", width, "center"))
        page.items.extend(self.ctx.place_lines(lines, style.body, x, top + style.heading.leading * 1.8, "body",
                                               width, "center"))
