"""The book's metadata -> what its copyright page says, in the order publishers print it.

Title and author; the copyright and the rights; the edition and the printing's number line
(10 9 8 7 6 5 4 3 2 1, ending at this printing); the ISBN (the edition's own, when it has one);
publisher, printer and the country of printing; where the photographs are credited; what the
book is typeset in. Each group is a paragraph of lines, already escaped for the inline markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..model import BookMeta, Words
from .furniture import join_names, long_date
from .text.inline import escape

if TYPE_CHECKING:
    from .paragraphs import ParagraphMemo


def number_line(printing: int) -> str:
    """'10 9 8 7 6 5 4 3 2 1' for a first printing, '10 9 8 7 6 5 4 3' for a third: the lowest is this one."""
    return " ".join(str(n) for n in range(10, printing - 1, -1))


def copyright_groups(meta: BookMeta, words: Words, fonts: list[str], version: str,
                     credits_page: Optional[str], memo: Optional[ParagraphMemo] = None) -> list[list[str]]:
    groups: list[list[str]] = []
    groups.append([f"*{escape(meta.title)}*" + (f": {escape(meta.subtitle)}" if meta.subtitle else "")]
                  + ([escape(meta.author)] if meta.author else []))
    owner = meta.copyright or (f"© {meta.year + ' ' if meta.year else ''}{meta.author}" if meta.author else None)
    rights = [escape(owner)] if owner else []
    if meta.rights or not meta.copyright:  # a copyright text of the author's own may carry its rights already
        rights.append(escape(meta.rights or words.rights))
    groups.append(rights)
    edition = []
    when = meta.date or meta.year
    if meta.edition:
        edition.append(escape(words.say("edition", edition=meta.edition,
                                        year=long_date(when, words.language, memo) if when else "").strip(" ,:")))
    elif when:
        edition.append(escape(words.say("first_published", date=long_date(when, words.language, memo))))
    edition.append(number_line(meta.printing))
    groups.append(edition)
    if meta.isbn:
        groups.append([f"ISBN {escape(meta.isbn)}"])
    trade = []
    if meta.publisher:
        trade.append(escape(words.say("published_by", publisher=meta.publisher)))
        if meta.publisher_address:
            trade.append(escape(meta.publisher_address))
    if meta.printed_by:
        trade.append(escape(words.say("printed_by", printer=meta.printed_by)))
    if meta.printed_in:
        trade.append(escape(words.say("printed_in", country=meta.printed_in)))
    groups.append(trade)
    making = []
    if credits_page:
        making.append(escape(words.say("credits_line", page=credits_page)))
    making.append(escape(words.say("typeset", version=version, fonts=join_names(fonts, words.language, memo))))
    groups.append(making)
    return [group for group in groups if group]
