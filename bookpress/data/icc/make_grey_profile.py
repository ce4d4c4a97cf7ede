#!/usr/bin/env python3
"""Writes bookpress-grey.icc: a greyscale ICC profile (v2.1, display class, XYZ PCS) whose tone
curve is sRGB's, so that a grey value means what the same value means on each channel of sRGB.

bookpress reads an untagged greyscale photo that way (a neutral in sRGB) when it separates it to
CMYK for PDF/X-1a, and PDF/X-4 tags such photos with this profile, so both flavours print the
same grey. Only the standard library is used; the file is byte-for-byte reproducible.

Usage: python bookpress/data/icc/make_grey_profile.py [OUT.icc]
Check: transicc, or python -c "from PIL import ImageCms; ..." (see bookpress-grey.md).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

CURVE_POINTS = 4096
D50 = (0.9642, 1.0, 0.8249)  # the ICC PCS illuminant
DESCRIPTION = "bookpress grey (sRGB tone curve, D50)"
COPYRIGHT = "No copyright, use freely (bookpress, MIT-licensed project). No warranty."


def s15f16(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def srgb_to_linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def text_description(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\0"
    return (b"desc" + bytes(4) + struct.pack(">I", len(ascii_text)) + ascii_text
            + struct.pack(">II", 0, 0)  # no Unicode description
            + struct.pack(">HB", 0, 0) + bytes(67))  # no ScriptCode description


def text_type(text: str) -> bytes:
    return b"text" + bytes(4) + text.encode("ascii") + b"\0"


def xyz_type(xyz: tuple[float, float, float]) -> bytes:
    return b"XYZ " + bytes(4) + b"".join(s15f16(v) for v in xyz)


def curve_type() -> bytes:
    samples = [round(srgb_to_linear(i / (CURVE_POINTS - 1)) * 65535) for i in range(CURVE_POINTS)]
    return b"curv" + bytes(4) + struct.pack(">I", CURVE_POINTS) + struct.pack(f">{CURVE_POINTS}H", *samples)


def profile() -> bytes:
    tags = [(b"desc", text_description(DESCRIPTION)), (b"cprt", text_type(COPYRIGHT)),
            (b"wtpt", xyz_type(D50)), (b"kTRC", curve_type())]
    offset = 128 + 4 + 12 * len(tags)
    table, body = [], b""
    for signature, data in tags:
        table.append(signature + struct.pack(">II", offset + len(body), len(data)))
        body += data + bytes(-len(data) % 4)  # each tag starts on a 4-byte boundary
    size = offset + len(body)
    header = (struct.pack(">I", size) + bytes(4) + bytes([2, 0x10, 0, 0]) + b"mntr" + b"GRAY" + b"XYZ "
              + struct.pack(">6H", 2026, 1, 1, 0, 0, 0) + b"acsp" + bytes(4) + bytes(4) + bytes(4) + bytes(4)
              + bytes(8) + struct.pack(">I", 0) + b"".join(s15f16(v) for v in D50) + bytes(4) + bytes(16))
    header += bytes(128 - len(header))
    return header + struct.pack(">I", len(tags)) + b"".join(table) + body


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("bookpress-grey.icc")
    out.write_bytes(profile())
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
