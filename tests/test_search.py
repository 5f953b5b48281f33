"""What the site's search holds of Flare's pages: a line each, however many updates they have."""

from __future__ import annotations

import json

from generator.mkdocs_plugin.search import with_flare_entries, with_search_on_demand
from generator.render.markup import STRICT
from generator.render.search import SUMMARY_CHARACTERS, plain_text


def test_a_summary_is_the_text_a_reader_sees_cut_at_a_word():
    assert plain_text("Some requests fail with **503** errors.", STRICT) == (
        "Some requests fail with 503 errors."
    )
    long = plain_text("word " * 100, STRICT)
    assert long.endswith(" …") and len(long) <= SUMMARY_CHARACTERS + 2
    assert not long.removesuffix(" …").endswith(" ")


def test_flares_pages_replace_the_themes_entries_and_hand_written_ones_stay():
    theme_index = json.dumps(
        {
            "config": {"lang": ["en"]},
            "docs": [
                {"location": "about/", "title": "About", "text": "<p>Who we are</p>"},
                {"location": "incidents/x/", "title": "X", "text": "every update"},
                {"location": "incidents/x/#timeline", "title": "Timeline", "text": "more"},
                {"location": "", "title": "Status", "text": "the home page"},
                {"location": "#flare-components", "title": "Components", "text": "every bar"},
            ],
        }
    )
    index = json.loads(
        with_flare_entries(
            theme_index, {"incidents/x/": ("X & Y", "API · <b>major</b>"), "./": ("Status", "")}
        )
    )
    assert index["config"] == {"lang": ["en"]}
    assert index["docs"] == [
        {"location": "about/", "title": "About", "text": "<p>Who we are</p>"},
        # the theme shows entries as HTML: Flare's plain text is escaped
        {
            "location": "incidents/x/",
            "title": "X &amp; Y",
            "text": "API · &lt;b&gt;major&lt;/b&gt;",
        },
        {"location": "", "title": "Status", "text": ""},  # MkDocs' ./ is the theme's ""
    ]


def test_the_on_demand_script_comes_first_and_only_where_the_theme_searches():
    page = '<html><head><title>x</title></head><body><form class="md-search__form" name="search">'
    assert with_search_on_demand(page, "../assets/flare/search.js").startswith(
        '<html><head><script src="../assets/flare/search.js"></script><title>'
    )
    assert with_search_on_demand("<html><head></head></html>", "search.js") == (
        "<html><head></head></html>"
    )
