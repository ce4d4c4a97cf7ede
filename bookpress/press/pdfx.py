"""An open pikepdf document -> the same document carrying PDF/X-4 or PDF/X-1a:2001 identification.

A table of variants, in the manner of WeasyPrint's pdfx: each names its PDF version,
its Info keys and whether it carries XMP. The output intent embeds the press
profile; X-4 tags device RGB and grey images with ICC profiles, since its output intent is CMYK.
"""

from __future__ import annotations

import uuid
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pikepdf

from ..fonts import usercache
from ..images.colour import GREY_PROFILE, SRGB_PROFILE
from ..load.printers import OutputCondition


def escape(text: str) -> str:
    """Text for XMP element content. (xml.sax.saxutils.escape does the same, but importing it brings
    urllib.request, http.client and ssl: ~0.1 s of every compile for three replacements.)"""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class Variant:
    version: str  # the highest PDF version the standard allows, written in the header
    gts_version: str
    conformance: str | None  # GTS_PDFXConformance (X-1a only)
    xmp: bool  # XMP metadata with pdfxid (X-4 requires it; X-1a:2001 is PDF 1.3, before XMP)


VARIANTS: dict[str, Variant] = {
    "x4": Variant("1.6", "PDF/X-4", None, True),
    "x1a": Variant("1.3", "PDF/X-1:2001", "PDF/X-1a:2001", False),
}


@dataclass(frozen=True)
class Identity:
    """What the XMP packet says about the document."""

    title: str
    author: str | None
    document_id: str  # a uuid derived from the rendered content, stable between identical builds
    subject: str | None = None  # Info /Subject, which XMP carries as dc:description


def apply_pdfx(pdf: pikepdf.Pdf, name: str, condition: OutputCondition, profile: Path, who: Identity) -> str:
    """Add the output intent, Info keys and (X-4) XMP; return the PDF version to save with."""
    variant = VARIANTS[name]
    info = pdf.docinfo
    info.Title = pikepdf.String(who.title)
    info.Trapped = pikepdf.Name("/False")
    info.GTS_PDFXVersion = pikepdf.String(variant.gts_version)
    if variant.conformance:
        info.GTS_PDFXConformance = pikepdf.String(variant.conformance)
    pdf.Root.OutputIntents = pikepdf.Array([output_intent(pdf, condition, profile)])
    if variant.xmp:
        tag_device_images(pdf)
        pdf.Root.Metadata = pikepdf.Stream(pdf, xmp_packet(pdf, variant, who))
        pdf.Root.Metadata.Type = pikepdf.Name.Metadata
        pdf.Root.Metadata.Subtype = pikepdf.Name.XML
    elif "/Metadata" in pdf.Root:
        del pdf.Root.Metadata
    return variant.version


def profile_stream(pdf: pikepdf.Pdf, profile: Path) -> pikepdf.Stream:
    """An ICC profile as a new stream, deflated here: the pressed file is saved without recompressing
    what reportlab deflated, so what press adds it compresses itself."""
    info = profile.stat()
    stream = pikepdf.Stream(pdf, b"")
    stream.write(_deflated(str(profile), info.st_size, info.st_mtime_ns), filter=pikepdf.Name.FlateDecode)
    return stream


@lru_cache(maxsize=8)
def _deflated(path: str, size: int, mtime_ns: int) -> bytes:
    """A file's bytes deflated, once per process while the file is unchanged (`bookpress watch` would
    otherwise spend it on every rebuild) and kept between runs in the user's cache. Level 1: a 1 MB
    press profile deflates in 24 ms instead of 53 ms at the default level, and comes out 2.5% larger
    (804 KB against 784 KB). What is kept is used only if it inflates to the file's bytes (~3 ms)."""
    data = Path(path).read_bytes()
    kept = usercache.entry_for("profiles", Path(path), size, mtime_ns, f"zlib{zlib.ZLIB_RUNTIME_VERSION}")
    if kept is not None:
        deflated = usercache.read(kept)
        if isinstance(deflated, bytes):
            try:
                if zlib.decompress(deflated) == data:
                    return deflated
            except zlib.error:
                pass
    deflated = zlib.compress(data, 1)
    if kept is not None:
        usercache.write(kept, deflated)
    return deflated


def output_intent(pdf: pikepdf.Pdf, condition: OutputCondition, profile: Path) -> pikepdf.Dictionary:
    stream = profile_stream(pdf, profile)
    stream.N = 4  # a CMYK press profile (checked when the manuscript named its own)
    return pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=pikepdf.String(condition.identifier),
        OutputCondition=pikepdf.String(condition.info), Info=pikepdf.String(condition.info),
        RegistryName=pikepdf.String(condition.registry), DestOutputProfile=pdf.make_indirect(stream),
    )


def tag_device_images(pdf: pikepdf.Pdf) -> None:
    """DeviceRGB images -> ICCBased sRGB, DeviceGray images -> ICCBased grey (sRGB's tone curve).

    X-4 allows RGB only with a profile saying what it means. DeviceGray it allows, but a press
    prints it on the black plate alone, far lighter than the photo looks on screen; tagged, it is
    separated through the output intent as X-1a's grey photos are. Soft masks stay DeviceGray
    (the standard requires it there: they are coverage, not colour).
    """
    masks = {obj.SMask.objgen for obj in pdf.objects
             if isinstance(obj, pikepdf.Stream) and isinstance(obj.get("/SMask"), pikepdf.Stream)}
    tags = {pikepdf.Name.DeviceRGB: (SRGB_PROFILE, 3), pikepdf.Name.DeviceGray: (GREY_PROFILE, 1)}
    made: dict[str, pikepdf.Object] = {}
    for obj in list(pdf.objects):
        if not isinstance(obj, pikepdf.Stream) or obj.get("/Subtype") != pikepdf.Name.Image \
                or obj.objgen in masks:
            continue
        space = obj.get("/ColorSpace")
        if space in tags:
            profile, channels = tags[space]
            if str(space) not in made:
                stream = profile_stream(pdf, profile)
                stream.N = channels
                made[str(space)] = pdf.make_indirect(stream)
            obj.ColorSpace = pikepdf.Array([pikepdf.Name.ICCBased, made[str(space)]])


def xmp_date(pdf_date: str) -> str:
    """D:20000101000000+00'00' -> 2000-01-01T00:00:00+00:00, so Info and XMP agree."""
    d = pdf_date[2:] if pdf_date.startswith("D:") else pdf_date
    stamp = f"{d[0:4]}-{d[4:6]}-{d[6:8]}T{d[8:10]}:{d[10:12]}:{d[12:14]}"
    zone = d[14:].replace("'", "")
    if zone in ("", "Z"):
        return stamp + "Z"
    return f"{stamp}{zone[0]}{zone[1:3]}:{zone[3:5] or '00'}"


def xmp_packet(pdf: pikepdf.Pdf, variant: Variant, who: Identity) -> bytes:
    info = pdf.docinfo
    created = xmp_date(str(info.get("/CreationDate", "D:20000101000000Z")))
    modified = xmp_date(str(info.get("/ModDate", info.get("/CreationDate", "D:20000101000000Z"))))
    producer = escape(str(info.get("/Producer", "bookpress")))
    tool = escape(str(info.get("/Creator", "bookpress")))
    creator = f"<dc:creator><rdf:Seq><rdf:li>{escape(who.author)}</rdf:li></rdf:Seq></dc:creator>" \
        if who.author else ""
    description = "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" \
        f"{escape(who.subject)}</rdf:li></rdf:Alt></dc:description>" if who.subject else ""
    doc = f"uuid:{who.document_id}"
    instance = f"uuid:{uuid.uuid5(uuid.UUID(who.document_id), 'instance')}"
    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(who.title)}</rdf:li></rdf:Alt></dc:title>
   {creator}
   {description}
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <xmp:ModifyDate>{modified}</xmp:ModifyDate>
   <xmp:MetadataDate>{modified}</xmp:MetadataDate>
   <xmp:CreatorTool>{tool}</xmp:CreatorTool>
   <pdf:Producer>{producer}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>{doc}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{instance}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{variant.gts_version}</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return body.encode("utf-8")
