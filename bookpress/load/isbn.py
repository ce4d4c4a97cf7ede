"""An ISBN as the author wrote it -> its check, its 13 digits for the barcode; a cover price -> the EAN-5 add-on.

The ISBN keeps the hyphens the author copied from the agency's record (they mark the
registration group and the publisher, which only the agency's range table knows); an
ISBN-10 becomes the 978 ISBN-13 that its barcode has to carry. The price add-on is the
five digits of the book trade's convention: a currency digit and the price in hundredths
(5 = US dollars, 6 = Canadian, 4 = New Zealand, 3 = Australian, 0 = pounds sterling),
or 90000 where no price is printed.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

# The add-on's first digit for each currency the book trade gives one to.
CURRENCY_DIGIT = {"USD": "5", "CAD": "6", "NZD": "4", "AUD": "3", "GBP": "0"}
SIGNS = {"US$": "USD", "$": "USD", "C$": "CAD", "CA$": "CAD", "NZ$": "NZD", "A$": "AUD", "AU$": "AUD", "£": "GBP"}
SIGN_OF = {"USD": "US$", "CAD": "CA$", "NZD": "NZ$", "AUD": "A$", "GBP": "£"}
ADD_ON_LEADS = set(CURRENCY_DIGIT.values()) | {"1", "9"}  # 1: pounds too; 9: no price, or a price over 99.99


def digits_of(isbn: str) -> str:
    return re.sub(r"[\s-]", "", isbn).upper()


def isbn_ok(isbn: str) -> bool:
    digits = digits_of(isbn)
    if re.fullmatch(r"\d{13}", digits):
        return sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10 == 0
    if re.fullmatch(r"\d{9}[\dX]", digits):
        return sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits)) % 11 == 0
    return False


def _ean_check(twelve: str) -> str:
    return str(-sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(twelve)) % 10)


def isbn13(isbn: str) -> str:
    """The 13 digits of a valid ISBN: an ISBN-10 is prefixed with 978 and given the EAN check digit."""
    digits = digits_of(isbn)
    if len(digits) == 13:
        return digits
    return "978" + digits[:9] + _ean_check("978" + digits[:9])


def isbn13_written(isbn: str) -> str:
    """The ISBN-13 as a book prints it, hyphenated as the author wrote it ('978-0-306-40615-7')."""
    written = " ".join(isbn.split()).replace(" ", "-")
    if len(digits_of(isbn)) == 13:
        return written
    thirteen = isbn13(isbn)
    return "978-" + written[:-1] + thirteen[-1] if "-" in written else thirteen


class Price(NamedTuple):
    add_on: str  # the five digits of the EAN-5 add-on
    label: str | None  # as the back cover states it: "US$24.95"; None where the add-on names no price


def parse_price(text: str) -> tuple[Price | None, str | None]:
    """(the price, None) or (None, what is wrong with it) for book.yaml's `cover.price`.

    Takes the add-on's five digits ("52495"), or a currency and an amount as a publisher writes
    it: "USD 24.95", "24.95 USD", "US$24.95", "$24.95", "CAD 29.99", "£12.99".
    """
    text = " ".join(str(text).split())
    if re.fullmatch(r"\d{5}", text):
        if text[0] not in ADD_ON_LEADS:
            return None, f"the add-on '{text}' begins with {text[0]}, which names no currency"
        return Price(text, _label(text)), None
    amount_re = r"(\d+(?:\.\d+)?)"
    match = (re.fullmatch(r"([A-Za-z]{3}) ?" + amount_re, text) or re.fullmatch(amount_re + r" ?([A-Za-z]{3})", text)
             or re.fullmatch(r"(US\$|CA\$|C\$|NZ\$|AU\$|A\$|\$|£) ?" + amount_re, text))
    if match is None:
        return None, f"'{text}' is neither a currency and an amount nor the add-on's five digits"
    first, second = match.groups()
    code, amount = (second.upper(), first) if first[0].isdigit() else (SIGNS.get(first, first.upper()), second)
    if code not in CURRENCY_DIGIT:
        return None, f"{code} has no price add-on (the book trade codes only {', '.join(CURRENCY_DIGIT)})"
    try:
        value = Decimal(amount)
    except InvalidOperation:  # the pattern lets only digits through; kept for safety
        return None, f"'{amount}' is not an amount"
    if value != value.quantize(Decimal("0.01")):
        return None, f"{amount} has more than two decimals"
    if value >= 100:
        return None, f"the add-on holds prices up to 99.99, and {code} {amount} is more"
    add_on = CURRENCY_DIGIT[code] + f"{int(value * 100):04d}"
    return Price(add_on, _label(add_on)), None


def _label(add_on: str) -> str | None:
    """The price a reader reads in the add-on's digits; None for 90000 (no price) and x9999 (above 99.98)."""
    code = next((c for c, digit in CURRENCY_DIGIT.items() if digit == add_on[0]), None)
    if code is None or add_on[1:] == "9999":
        return None
    return f"{SIGN_OF[code]}{int(add_on[1:3])}.{add_on[3:]}"
