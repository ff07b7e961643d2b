"""The chunked, bounded-memory file cleaning gives exactly the in-memory result."""

import polars as pl
import pytest

from marketlib import cores, schemas
from marketlib.clean.pipeline import clean_postings
from marketlib.cleanfile import clean_postings_file
from tests.conftest import MIRROR, need


@pytest.fixture
def raw_postings(project):
    """Real Glassdoor postings (parsed from the mirror), repeated so ids repeat across chunks."""
    from marketlib.snapshots import latest_by_name
    from marketlib.sources import FetchContext, fetch_upstream_files, glassdoor

    need(MIRROR / "glassdoor_ds_jobs_2020_kenjee")
    fetch_upstream_files(glassdoor.SOURCE, FetchContext(project))
    raw = glassdoor.SOURCE.parse(latest_by_name("glassdoor", project.raw_dir))["postings"]
    # the same 600 postings three times: repeated source ids and duplicates span chunk boundaries
    return pl.concat([raw, raw, raw])


def test_chunked_file_cleaning_equals_in_memory(raw_postings, tmp_path):
    source = tmp_path / "raw.parquet"
    raw_postings.write_parquet(source)
    target = tmp_path / "out" / "postings.parquet"
    rows = clean_postings_file(source, target, chunk_rows=250)
    assert rows == raw_postings.height == 1800
    chunked = pl.read_parquet(target)
    whole = clean_postings(raw_postings)
    assert chunked.equals(whole)
    assert chunked["posting_id"].is_unique().all()
    assert int(chunked["is_duplicate"].sum()) >= 1200  # the two repeats of every posting are flagged
    schemas.validate("postings", chunked)
    assert sorted(p.name for p in target.parent.iterdir()) == ["postings.parquet"]  # no temp files left
    # Other readers see plain parquet strings (the writer is given Arrow string views, pandas cannot read those).
    import pyarrow.parquet as pq

    stored = pq.read_schema(target)
    assert "view" not in str(stored) and str(stored.field("skills").type) == "list<element: string>"
    assert pq.read_table(target).to_pandas().shape == (1800, len(chunked.columns))


def test_empty_input_gives_an_empty_valid_table(tmp_path):
    source = tmp_path / "raw.parquet"
    schemas.empty_raw_postings().write_parquet(source)
    target = tmp_path / "postings.parquet"
    assert clean_postings_file(source, target) == 0
    assert pl.read_parquet(target).height == 0


@pytest.mark.parametrize("workers", [1, 2])
def test_streamed_cli_path_equals_in_memory_on_the_golden_corpora(project, tmp_path, monkeypatch, workers):
    """The golden texts (Glassdoor, Zapply, Hacker News) as a user's CSV without ids: `marketlib clean`'s
    streamed path in small chunks, on one or two worker processes, gives exactly what cleaning the whole table
    in memory gives."""
    from marketlib import userclean
    from marketlib.userclean import clean_file, clean_frame

    monkeypatch.setattr(cores, "CLEAN_WORKERS", workers)
    monkeypatch.setattr(userclean, "CSV_CHUNK_BYTES", 256 * 1024)
    from tests.golden.corpus import corpus, place_of

    texts = corpus()
    if not texts:
        pytest.skip("the golden corpora need the shared mirror")
    keys = sorted(texts)
    table = pl.DataFrame({
        "title": [texts[k][0] for k in keys], "description": [texts[k][1] for k in keys],
        "location": [place_of(k)[0] for k in keys], "company": [k.split(":")[0] for k in keys],
    })
    given = tmp_path / "golden.csv"
    table.write_csv(given)
    assert given.stat().st_size > 4 * userclean.CSV_CHUNK_BYTES  # several chunks
    out = tmp_path / "streamed.parquet"
    assert clean_file(given, out, []) == table.height
    streamed = pl.read_parquet(out)
    whole = clean_frame(pl.read_csv(given, infer_schema=False), {}, "golden")
    assert streamed.height > 300 and streamed.equals(whole)
