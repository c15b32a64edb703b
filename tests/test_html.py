"""`--format html`: one self-contained page (no network, no external assets) with the profile,
the ranked advice and an SVG chart of the target, checked by parsing it and, where a browser is
installed, by rendering it once headless."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SAMPLES

EXTERNAL_TAGS = {"script", "link", "img", "iframe", "object", "embed", "audio", "video",
                 "source", "base"}


class Page(HTMLParser):
    """Collects tags (with attributes), text and nesting errors."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.open: list[str] = []
        self.errors: list[str] = []

    VOID = {"meta", "br", "rect", "line", "path", "circle"}

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()

    def handle_data(self, data):
        self.text.append(data)

    def classes(self, name: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if name in (a.get("class") or "").split()]


def _page(cli, args: list[str]) -> tuple[Page, str, dict]:
    html = cli([*args, "--format", "html"]).stdout
    doc = json.loads(cli([*args, "--format", "json"]).stdout)
    page = Page()
    page.feed(html)
    page.close()
    return page, html, doc


def _self_contained(page: Page, html: str) -> None:
    assert not page.errors and not page.open
    assert not {t for t, _ in page.tags} & EXTERNAL_TAGS
    for _, attrs in page.tags:
        for name, value in attrs.items():
            if name in ("src", "href", "action", "srcset", "poster") or name.startswith("on"):
                raise AssertionError(f"external or active attribute {name}={value}")
    assert "url(" not in html and "@import" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def test_classification_page_has_profile_advice_and_class_bars(cli):
    page, html, doc = _page(cli, ["profile", str(SAMPLES / "fraud.csv"), "-t", "is_fraud"])
    _self_contained(page, html)
    text = " ".join(page.text)
    assert doc["dataset"]["path"] in text and doc["task_reason"] in text
    ids = [a for a in page.tags if "id" in (a[1].get("class") or "").split()]
    assert ids  # identifiers are marked up
    order = [html.index(f'<span class="id">{item["id"]}</span>') for item in doc["losses"]]
    assert order == sorted(order)  # ranked as in JSON
    assert len(page.classes("bar")) == len(doc["profile"]["class_counts"])
    assert [t for t, _ in page.tags].count("svg") == 1


def test_regression_histogram_marks_the_outliers(cli):
    page, html, doc = _page(cli, ["profile", str(SAMPLES / "house_prices.csv"), "-t", "price"])
    _self_contained(page, html)
    hist = doc["profile"]["histogram"]
    bars = page.classes("bar")
    assert len(bars) == len(hist["counts"]) + bool(hist["below"]) + bool(hist["above"])
    outliers = page.classes("outlier")
    assert len(outliers) >= bool(hist["below"]) + bool(hist["above"]) > 0
    assert "IQR fences" in html


def test_input_text_is_escaped(cli, write):
    path = write("x.csv", "id,<b>label</b>\n" + "".join(
        f"{i},{'<script>alert(1)</script>' if i % 3 else 'ok'}\n" for i in range(60)))
    page, html, _ = _page(cli, ["profile", path, "-t", "<b>label</b>"])
    _self_contained(page, html)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_recommend_without_data_has_no_chart(cli):
    page, html, _ = _page(cli, ["recommend", "--task", "segmentation"])
    _self_contained(page, html)
    assert not page.classes("bar")


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


@pytest.mark.skipif(not any(shutil.which(b) for b in BROWSERS), reason="no headless browser")
def test_renders_in_a_headless_browser(cli, tmp_path):
    browser = next(shutil.which(b) for b in BROWSERS if shutil.which(b))
    page = tmp_path / "report.html"
    result = cli(["profile", str(SAMPLES / "house_prices.csv"), "-t", "price", "-f", "html",
                  "-o", str(page)])
    assert result.exit_code == 0, result.stderr
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([browser, *flags, "--dump-dom", page.as_uri()], capture_output=True,
                         text=True, timeout=120)
    assert "<svg" in dom.stdout and 'class="bar outlier"' in dom.stdout, dom.stderr[-2000:]
    shot = tmp_path / "shot.png"
    subprocess.run([browser, *flags, f"--screenshot={shot}", "--window-size=1000,1400",
                    page.as_uri()], capture_output=True, timeout=120)
    data = Path(shot).read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000


def test_several_numeric_targets_get_one_section_each(cli):
    args = ["profile", str(SAMPLES / "claims.csv"), "--target", "n_claims,exposure"]
    page, html, doc = _page(cli, args)
    _self_contained(page, html)
    assert len(doc["columns"]) == 2
    assert html.count("<h1>column ") == 2
    assert [t for t, _ in page.tags].count("svg") == 2
    for column in doc["columns"]:
        assert f'<span class="id">{column["losses"][0]["id"]}</span>' in html
