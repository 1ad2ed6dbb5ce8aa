"""A real browser on the real server: `python app.py` in a subprocess, Debian's chromium driven headless by Playwright.

The server runs the tiny random-weight model with the project's glossary; the test types into the source box,
clicks Translate, waits for the English and checks its paragraphs and highlighted terms, and saves a
screenshot under the test's tmp folder. Chromium comes from apt (`apt-get install -y chromium`), never from
`playwright install`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator

import pytest

from servers import app_py

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TYPED = "\nСтолтенберг прибув до Скоп'є."  # typed key by key after the pasted demo paragraphs


@pytest.fixture(scope="module")
def app_url(tiny_model, tmp_path_factory) -> Iterator[str]:
    """`python app.py` on a free port with the tiny model and the default glossary; stopped at the end."""
    flags = ["--model", str(tiny_model), "--glossary", str(ROOT / "translate" / "data" / "glossary.tsv"), "--backend",
             "transformers", "--device", "cpu", "--beam-size", "2", "--max-length-ratio", "1", "--max-length-offset", "4"]
    with app_py(flags, cwd=tmp_path_factory.mktemp("app")) as (_, url):
        yield url


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        # `make test` installs it with apt-get, which needs root; CI always has it, so there it must not skip.
        assert not os.environ.get("CI"), f"{CHROMIUM} is missing in CI: apt-get install -y chromium"
        pytest.skip(f"{CHROMIUM} is missing (make test installs it with apt-get, which needs root): "
                    f"run `apt-get install -y chromium` as root to run the browser test")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000})
        try:
            yield context.new_page()
        finally:
            context.close()


def test_editor_translates_the_demo_item_and_sees_highlighted_terms(app_url, browser_page, demo_text, tmp_path):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(app_url + "/", wait_until="domcontentloaded")
    source = page.locator("#source textarea")
    expect(source).to_have_value(re.compile("Столтенберг"), timeout=60_000)  # pre-filled with the demo item

    text = "\n".join(demo_text.split("\n")[:4])  # the first paragraphs: the whole item is slow on the tiny model
    source.fill(text)
    source.press("End")
    source.press_sequentially(TYPED)
    expect(source).to_have_value(text + TYPED)
    page.locator("#translate").click()

    output = page.locator("#output .uken-output")
    expect(output).to_be_visible(timeout=180_000)
    english = output.inner_text()
    paragraphs = [line for line in (text + TYPED).split("\n") if line.strip()]
    assert len([line for line in english.split("\n") if line.strip()]) == len(paragraphs) == 4
    marks = output.locator("mark.term-applied")
    assert marks.count() >= 1
    assert {"Stoltenberg", "Skopje"} & set(marks.all_inner_texts())
    expect(page.locator("#status")).to_contain_text("Translated the text", timeout=30_000)
    expect(page.locator(".uken-legend")).to_be_visible()

    shot = tmp_path / "demo-translated.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
