"""The review report opened in a real headless Chromium: it loads, thumbnails show, links reach their pages."""

from __future__ import annotations

import io
import shutil
import time
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from typer.testing import CliRunner

from bookpress.cli import app
from bookpress.images.softproof import GAMUT_COLOUR

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="Chromium and chromedriver are not installed (apt-get install chromium chromium-driver; .ci/run does)")

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1600")


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def proof(root: Path) -> Path:
    result = CliRunner().invoke(app, ["proof", str(root), "-j", "2"])
    assert result.exit_code == 0, result.output
    return root / "build" / "sample-book-review" / "index.html"


def wait_for(driver, script: str, timeout: float = 10.0):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: d.execute_script(script))


@pytest.fixture(scope="module")
def reviewed(sample_template: Path, tmp_path_factory) -> Path:
    """Two proofs: the second after a low-resolution photo and an edited paragraph (the tests only read them)."""
    sample_book = tmp_path_factory.mktemp("reviewed") / "sample"
    shutil.copytree(sample_template, sample_book, ignore=shutil.ignore_patterns("*.pdf"))
    proof(sample_book)
    lake = sample_book / "photos" / "lake.jpg"
    with Image.open(lake) as im:
        im.resize((500, 333)).save(lake, quality=85)
    chapter = sample_book / "chapters" / "01-first-light.yaml"
    chapter.write_text(chapter.read_text().replace("Write paragraphs as plain text", "Write paragraphs as simple text"))
    return proof(sample_book)


def test_report_loads_with_every_thumbnail_shown(browser, reviewed: Path) -> None:
    browser.get(reviewed.as_uri())
    wait_for(browser, "return document.readyState === 'complete'")
    assert browser.title == "Review: Sample Book"
    sizes = browser.execute_script(
        "return [...document.querySelectorAll('.sheet img')].map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
    pages = browser.execute_script("return document.querySelectorAll('article.page').length")
    assert len(sizes) == pages > 8
    assert all(complete and width > 0 and height == 600 for complete, width, height in sizes)  # 300 px at 2x
    shown = browser.execute_script(
        "return [...document.querySelectorAll('.sheet img')].map(i => i.getBoundingClientRect().height)")
    assert all(abs(height - 300) < 1 for height in shown)


def test_finding_and_thumbnail_links_go_to_their_page(browser, reviewed: Path) -> None:
    browser.get(reviewed.as_uri())
    link = browser.find_element("css selector", "#kind-resolution + table a.goto")
    row = link.find_element("xpath", "./ancestor::tr").text
    assert "lake.jpg prints at" in row and "use a larger original" in row
    label = link.get_attribute("href").split("#page-")[1]
    assert link.text.endswith(f", p. {label}") and link.text.startswith("sheet ")
    link.click()
    assert browser.execute_script("return location.hash") == f"#page-{label}"
    target = browser.execute_script("return document.querySelector(':target').dataset.label")
    assert target == label
    # The page's large view loads once the page is in view, and it names the finding too.
    wait_for(browser, "const i = document.querySelector(':target img'); return i.complete && i.naturalWidth > 0")
    assert "lake.jpg prints at" in browser.find_element("css selector", ":target").text

    browser.find_element("css selector", "#thumb-5").click()
    assert browser.execute_script("return document.querySelector(':target').id") == "page-5"


def test_changed_pages_are_highlighted(browser, reviewed: Path) -> None:
    browser.get(reviewed.as_uri())
    changed = browser.execute_script(
        "return [...document.querySelectorAll('.slot.changed')].map(a => a.id)")
    listed = browser.execute_script(
        "return [...document.querySelectorAll('#changes .changes a')].map(a => a.getAttribute('href'))")
    assert changed and [f"#page-{c.removeprefix('thumb-')}" for c in changed] == listed
    outline = browser.execute_script(
        f"return getComputedStyle(document.getElementById('{changed[0]}')).outlineStyle")
    assert outline == "solid"
    box = browser.execute_script(
        f"const r = document.querySelector('#{changed[0]} .change').getBoundingClientRect(); return [r.width, r.height]")
    assert box[0] > 5 and box[1] > 2, "the changed region is marked on the thumbnail"


LIME = "return getComputedStyle(document.querySelector(arguments[0])).display"


def lime_pixels(png: bytes) -> int:
    """Pixels of the gamut warning's colour in a screenshot."""
    with Image.open(io.BytesIO(png)) as shot:
        rgb = shot.convert("RGB")
    distance = ImageChops.difference(rgb, Image.new("RGB", rgb.size, GAMUT_COLOUR)).convert("L")
    return distance.point(lambda v: 255 if v < 30 else 0).histogram()[255]


def test_the_soft_proof_layers_switch_on_and_off(browser, reviewed: Path) -> None:
    # The photo with the most out-of-gamut colours: the report lists it among the gamut findings.
    browser.get(reviewed.as_uri())
    link = browser.find_element("css selector", "#kind-gamut + table a.goto")
    page = link.get_attribute("href").split("#")[1]
    link.click()
    wait_for(browser, f"const i = document.querySelector('#{page} .view img'); return i.complete && i.naturalWidth")
    assert "soft-proofed" in browser.find_element("css selector", "header .simulated").text
    assert browser.execute_script(LIME, f"#{page} .layer.gamut") == "none"
    view = browser.find_element("css selector", f"#{page} .view")
    before = lime_pixels(view.screenshot_as_png)

    browser.find_element("css selector", "label[for=show-gamut]").click()
    assert browser.execute_script(LIME, f"#{page} .layer.gamut") == "block"
    deadline = time.time() + 10
    while lime_pixels(view.screenshot_as_png) <= before + 200:  # the layer loads once it is shown
        assert time.time() < deadline, "the warning colour appears over the photo"
        time.sleep(0.2)

    browser.find_element("css selector", "label[for=show-ink]").click()
    assert browser.execute_script(LIME, f"#{page} .layer.ink") == "block"
    assert browser.execute_script(LIME, ".legend.ink") != "none"
    browser.find_element("css selector", "label[for=show-screen]").click()
    assert browser.execute_script(LIME, f"#{page} .layer.ink") == "none"
    assert browser.execute_script(LIME, f"#{page} .layer.screen") == "block"
    browser.find_element("css selector", "label[for=show-proof]").click()
    browser.find_element("css selector", "label[for=show-gamut]").click()
    assert [browser.execute_script(LIME, f"#{page} .layer.{kind}") for kind in ("screen", "ink", "gamut")] == \
        ["none"] * 3
