"""The build's gzip copies: right bytes, reused from the cache by content, unused copies forgotten."""

from __future__ import annotations

import gzip
import os
import time
from pathlib import Path

import pytest

from brickbybrick.plugin import compress


def _site(root: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_copies_decompress_to_the_files_and_small_files_have_none(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", {"a.html": "<p>trust</p>" * 400, "b.css": "x" * 100, "c.png": "y" * 5000})
    assert compress.precompress(site, tmp_path / "cache") == 1
    assert gzip.decompress((site / "a.html.gz").read_bytes()) == (site / "a.html").read_bytes()
    assert not (site / "b.css.gz").exists()  # under one packet: nothing to gain
    assert not (site / "c.png.gz").exists()  # not a type that compresses


def test_a_rebuild_reuses_the_cached_copy_of_unchanged_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a changed file is compressed again; the others are the cached copies, byte for byte."""
    cache = tmp_path / "cache"
    pages = {"same.html": "<p>same</p>" * 300, "changed.js": "let a = 1;\n" * 300}
    compress.precompress(_site(tmp_path / "one", pages), cache)
    compressed: list[int] = []
    real = gzip.compress

    def counted(data: bytes, **options: int) -> bytes:
        compressed.append(len(data))
        return real(data, **options)

    monkeypatch.setattr(gzip, "compress", counted)
    second = _site(tmp_path / "two", {**pages, "changed.js": "let b = 2;\n" * 300})
    assert compress.precompress(second, cache) == 2
    assert compressed == [len("let b = 2;\n" * 300)]
    for name in pages:
        assert gzip.decompress((second / f"{name}.gz").read_bytes()) == (second / name).read_bytes()


def test_copies_unused_for_a_month_are_forgotten(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    compress.precompress(_site(tmp_path / "one", {"old.html": "<p>old</p>" * 300}), cache)
    (stale,) = cache.glob("*.gz")
    month_ago = time.time() - (compress.KEEP_DAYS + 1) * 86400
    os.utime(stale, (month_ago, month_ago))
    compress.precompress(_site(tmp_path / "two", {"new.html": "<p>new</p>" * 300}), cache)
    assert not stale.exists()
    assert len(list(cache.glob("*.gz"))) == 1  # the copy this build used
