"""Printing: a post-mortem or a report is often printed and handed to a manager. Chromium prints
the example's full analysis and reliability report to PDF, A4 and Letter, and everything a
reader sees on screen is on the paper, in dark ink even from a dark screen."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import EXAMPLE_NOW
from support.browser import open_page
from support.serving import Server, serve

ANALYSIS = "incidents/2026-08-04-file-storage-outage/postmortem/"


@pytest.fixture(scope="module")
def site(example_build: Path) -> Iterator[Server]:
    with serve(example_build) as server:
        yield server


def printed_text(page, paper: str) -> str:
    """The page printed on ``paper``, as the PDF's text, without white space (a word may wrap
    to the next line on paper) and with the font's ligatures (ﬁ) as their letters."""
    reader = PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))
    text = "".join(sheet.extract_text() for sheet in reader.pages)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_every_action_item_prints_whole_with_its_ticket_and_due_date(browser, site, paper):
    visit = open_page(browser, site.url_for(ANALYSIS), name=f"print-{paper}", now=EXAMPLE_NOW)
    try:
        page = visit.page
        rows = page.eval_on_selector_all(
            ".flare-pm-table tbody tr",
            "rows => rows.map(row => [...row.cells].map(cell => cell.innerText.trim()))",
        )
        assert len(rows) >= 3
        paper_text = printed_text(page, paper)
        for cells in rows:
            for cell in cells:
                assert re.sub(r"\s+", "", cell) in paper_text, (paper, cell)
        assert "Subscribe" not in paper_text  # the site's chrome stays on screen
    finally:
        visit.close()


def test_the_reliability_report_prints_every_cell_of_its_tables(browser, site):
    visit = open_page(browser, site.url_for("reliability/"), name="print-report", now=EXAMPLE_NOW)
    try:
        page = visit.page
        rows = page.eval_on_selector_all(
            "table tbody tr",
            "rows => rows.map(row => [...row.cells].map(cell => cell.innerText.trim()))",
        )
        assert len(rows) > 12  # the months, and more
        paper_text = printed_text(page, "A4")
        for cells in rows:
            for cell in cells:
                assert re.sub(r"\s+", "", cell) in paper_text, cell
    finally:
        visit.close()


@pytest.mark.parametrize(
    ("path", "javascript", "text"),
    [(ANALYSIS, True, "article p"), (ANALYSIS, False, "article p"), ("", True, ".flare-body p")],
    ids=["post-mortem", "post-mortem without script", "status page"],
)
def test_a_dark_screen_prints_dark_ink_on_white(browser, site, path, javascript, text):
    visit = open_page(
        browser, site.url_for(path), name="print-dark", now=EXAMPLE_NOW, color_scheme="dark",
        javascript=javascript,
    )  # fmt: skip
    colours = """(selector) => {
        const text = getComputedStyle(document.querySelector(selector));
        const body = getComputedStyle(document.body);
        return [text.color, body.backgroundColor];
    }"""
    try:
        page = visit.page
        _, screen = page.evaluate(colours, text)
        assert screen != "rgb(255, 255, 255)"  # dark on screen
        page.emulate_media(media="print", color_scheme="dark")
        ink, paper = page.evaluate(colours, text)
        assert ink == "rgb(0, 0, 0)"
        assert paper == "rgb(255, 255, 255)"
    finally:
        visit.close()
