"""Paragraph source -> Spans: *italic*, **bold**, [links](url), `~` as a no-break space, escapes; whitespace collapsed."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Span:
    """A run of text with one style."""

    text: str
    style: str  # "regular" | "italic" | "bold" | "bolditalic"
    link: str | None = None


NBSP = "\u00a0"
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # not \s: no-break spaces must survive
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@dataclass
class _Token:
    """Working state of the emphasis resolver; mutable because delimiter counts are consumed in place."""

    text: str = ""
    marker: str = ""  # "*" or "_" for a delimiter run, "" for text
    count: int = 0
    can_open: bool = False
    can_close: bool = False
    bold: int = 0
    italic: int = 0
    link: str | None = None


def escape(text: str) -> str:
    """Text to set as it is, markup characters and all (a title put into a sentence of the book's words)."""
    return "".join("\\" + char if char in "*_[]\\~" else char for char in text)


def parse_inline(source: str) -> tuple[Span, ...]:
    """'*a* **b** [c](u)' -> Spans. Unmatched markers stay literal; whitespace collapses to one space."""
    text = _ASCII_SPACE.sub(" ", source).strip()
    tokens = _resolve(_tokenise(text))
    return _spans_of(tokens)


_SPECIAL = re.compile(r"[\\*_~\[]")  # what the tokeniser looks at: escapes, emphasis, ties, links


def _tokenise(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _ASCII_PUNCTUATION:
            literal.append(text[i + 1])
            i += 2
            continue
        if char in "*_":
            _flush(literal, tokens)
            end = _run_end(text, i)
            tokens.append(_delimiter(text, i, end))
            i = end
            continue
        if char == "~" and not (i and text[i - 1] == "/"):  # '~' ties two words; '/~user' in an address stays
            literal.append(NBSP)
            i += 1
            continue
        link = _match_link(text, i) if char == "[" else None
        if link is not None:
            _flush(literal, tokens)
            label, url, i = link
            tokens.extend(_link_tokens(label, url))
            continue
        # Ordinary characters up to the next one that may mean something, taken at once.
        special = _SPECIAL.search(text, i + 1)
        end = special.start() if special else len(text)
        literal.append(text[i:end])
        i = end
    _flush(literal, tokens)
    return tokens


def _flush(literal: list[str], tokens: list[_Token]) -> None:
    if literal:
        tokens.append(_Token("".join(literal)))
        literal.clear()


def _run_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end] == text[start]:
        end += 1
    return end


def _delimiter(text: str, start: int, end: int) -> _Token:
    """A run of * or _; whether it may open or close depends on its neighbours (CommonMark, simplified)."""
    marker = text[start]
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    can_open = not after.isspace()
    can_close = not before.isspace()
    if marker == "_":
        # snake_case and file_names_like_this are not emphasis
        can_open = can_open and not before.isalnum()
        can_close = can_close and not after.isalnum()
    return _Token(marker * (end - start), marker, end - start, can_open, can_close)


def _match_link(text: str, start: int) -> tuple[str, str, int] | None:
    """'[label](url)' at `start` -> (label, url, index after it), or None when it is not a link."""
    close = _matching(text, start, "[", "]")
    if close is None or close + 1 >= len(text) or text[close + 1] != "(":
        return None
    end = _matching(text, close + 1, "(", ")")
    if end is None:
        return None
    url = text[close + 2 : end].strip()
    if not url:
        return None
    return text[start + 1 : close], url, end + 1


def _matching(text: str, start: int, opening: str, closing: str) -> int | None:
    depth = 0
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _link_tokens(label: str, url: str) -> list[_Token]:
    """The label's own emphasis is resolved inside it, so markers never pair across a link's edge."""
    inner = _resolve(_tokenise(label))
    for token in inner:
        token.link = token.link or url
    return inner


def _resolve(tokens: list[_Token]) -> list[_Token]:
    """Pair delimiter runs, innermost first; `***` splits into bold and italic as needed."""
    for closer_at, closer in enumerate(tokens):
        if not closer.marker or not closer.can_close:
            continue
        while closer.count > 0:
            opener_at = _find_opener(tokens, closer_at, closer.marker)
            if opener_at is None:
                break
            _pair(tokens, opener_at, closer_at)
    return _literalised(tokens)


def _find_opener(tokens: list[_Token], closer_at: int, marker: str) -> int | None:
    for index in range(closer_at - 1, -1, -1):
        token = tokens[index]
        if token.marker == marker and token.can_open and token.count > 0:
            return index
    return None


def _pair(tokens: list[_Token], opener_at: int, closer_at: int) -> None:
    opener, closer = tokens[opener_at], tokens[closer_at]
    used = 2 if opener.count >= 2 and closer.count >= 2 else 1
    for token in tokens[opener_at + 1 : closer_at]:
        if used == 2:
            token.bold += 1
        else:
            token.italic += 1
        if token.marker:
            # runs enclosed by a pair can no longer pair with anything outside it
            token.can_open = token.can_close = False
    opener.count -= used
    closer.count -= used


def _literalised(tokens: list[_Token]) -> list[_Token]:
    """Delimiters left over after pairing are plain text; consumed ones vanish."""
    result = []
    for token in tokens:
        if token.marker:
            if token.count == 0:
                continue
            token = replace(token, text=token.marker * token.count, marker="", count=0)
        result.append(token)
    return result


def _style_of(token: _Token) -> str:
    if token.bold and token.italic:
        return "bolditalic"
    return "bold" if token.bold else "italic" if token.italic else "regular"


def _spans_of(tokens: list[_Token]) -> tuple[Span, ...]:
    spans: list[Span] = []
    for token in tokens:
        if not token.text:
            continue
        style = _style_of(token)
        if spans and spans[-1].style == style and spans[-1].link == token.link:
            spans[-1] = replace(spans[-1], text=spans[-1].text + token.text)
        else:
            spans.append(Span(token.text, style, token.link))
    return tuple(spans)
