"""Hostile names, paths and links: nothing a source, a board list, a report config or a command line says can
write outside data/ and reports/, and nothing a posting says can run in the published HTML.

Names are checked by `snapshots.check_name` (letters, digits, '.', '_', '-', '@', '+'; no '..', separators,
NUL) and joined with `safe_join`, which resolves symlinks and refuses a result outside its base directory.
"""

from __future__ import annotations

import datetime as dt
import os

import nbformat
import pytest
import yaml

from marketlib import cli
from marketlib.errors import UnsafeNameError, UserError
from marketlib.report import (
    CSP,
    LINK_REL,
    ReportResult,
    ReportRun,
    ReportSpec,
    export_html,
    load_config,
    run_reports,
    sanitize_html,
    write_index,
)
from marketlib.snapshots import latest_by_name, safe_join, write_snapshot
from marketlib.sources import FetchContext, Source, _ats, get_source, greenhouse
from tests.report.nbfactory import write_demo_notebook

HOSTILE_NAMES = ["..", "../x", "../../etc/passwd", "/etc/passwd", "a/b", "a\\b", "a\x00b", "x/../../y", "%2e%2e",
                 " ", ".tmp-x", "x.meta.json", "C:\\x", "\x1b[31m"]


def _files_outside(root, before: set) -> set:
    """Files created since `before` anywhere under the parent of the project root, outside the project."""
    parent = root.parent
    now = {p for p in parent.rglob("*") if p.is_file()}
    return {p for p in now - before if root not in p.parents}


# ------------------------------------------------------------------------------------------ source names


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_source_name_is_a_user_error_and_writes_nothing_outside(project, name, capsys):
    before = {p for p in project.root.parent.rglob("*") if p.is_file()}
    with pytest.raises(UserError):
        get_source(name)
    with pytest.raises(SystemExit) as info:
        cli.main(["fetch", name])
    assert info.value.code == 2 and "Unknown source" in capsys.readouterr().err
    with pytest.raises(UnsafeNameError):
        Source(name=name, description="", kind="download", license="", homepage="", tables=(),
               parse=lambda snaps: {})
    assert _files_outside(project.root, before) == set()


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_snapshot_name_is_refused(project, name):
    with pytest.raises(UnsafeNameError):
        write_snapshot("glassdoor", name, data=b"x")
    with pytest.raises(UnsafeNameError):
        write_snapshot(name, "ok.csv", data=b"x")
    assert not any(project.root.parent.glob("etc*")) and not (project.raw_dir / "glassdoor").exists()


# ------------------------------------------------------------------------------------------ board tokens


@pytest.mark.parametrize("token", HOSTILE_NAMES)
def test_a_hostile_board_token_stops_the_fetch_before_any_request(project, token):
    with pytest.raises(UnsafeNameError):
        _ats.boards_for("greenhouse", {"boards": [token]})
    ctx = FetchContext(project.with_overrides(offline=False), options={"boards": [token],
                                                                      "base_url": "http://127.0.0.1:9"})
    with pytest.raises(UserError):
        greenhouse.fetch(ctx)
    assert ctx._session is None  # no HTTP session was even created


def test_a_board_list_file_with_a_hostile_token_names_the_line(tmp_path):
    boards = tmp_path / "boards.csv"
    boards.write_text("company,ats,board_token,note\nAcme,lever,acme,\nEvil,lever,../../etc,\n")
    with pytest.raises(UnsafeNameError, match=r"'\.\./\.\./etc'"):
        _ats.load_boards(boards)


# ------------------------------------------------------------------------------------------ symlink tricks


def test_a_source_directory_symlinked_outside_is_refused(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    project.raw_dir.mkdir(parents=True, exist_ok=True)
    (project.raw_dir / "glassdoor").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafeNameError, match="leaves"):
        write_snapshot("glassdoor", "jobs.csv", data=b"x")
    assert list(outside.iterdir()) == []


def test_a_day_directory_symlinked_outside_is_refused(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    day = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    (project.raw_dir / "glassdoor").mkdir(parents=True)
    (project.raw_dir / "glassdoor" / day).symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafeNameError):
        write_snapshot("glassdoor", "jobs.csv", data=b"x")
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("dangling", [False, True])
def test_a_snapshot_file_symlinked_outside_is_never_written_through(project, tmp_path, dangling):
    victim = tmp_path / "victim.txt"
    if not dangling:
        victim.write_text("precious")
    day_dir = project.raw_dir / "glassdoor" / dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    day_dir.mkdir(parents=True)
    (day_dir / "jobs.csv").symlink_to(victim)
    snap = write_snapshot("glassdoor", "jobs.csv", data=b"new bytes")
    assert snap.read_bytes() == b"new bytes" and not snap.path.is_symlink()
    assert snap.path.parent == day_dir
    assert (victim.read_text() == "precious") if not dangling else not victim.exists()
    assert latest_by_name("glassdoor")["jobs.csv"].path == snap.path


def test_safe_join_refuses_every_way_out(tmp_path):
    base = tmp_path / "base"
    base.mkdir()
    (base / "link").symlink_to(tmp_path, target_is_directory=True)
    for parts in (("..",), ("a", "..", ".."), ("/etc",), ("link", "x")):
        with pytest.raises(UnsafeNameError):
            safe_join(base, *parts)
    assert safe_join(base, "a", "b") == (base / "a" / "b").resolve()


# ------------------------------------------------------------------------------------------ reports


@pytest.fixture
def notebooks(tmp_path):
    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    write_demo_notebook(nb_dir / "demo.ipynb")
    return nb_dir


@pytest.mark.parametrize("field, value", [
    ("name", "a\x00b"), ("name", "..\\x"), ("name", "x/../../y"), ("name", ".hidden"),
    ("notebook", "../demo.ipynb"), ("notebook", "nbs/demo.ipynb"), ("notebook", "demo.ipynb\x00.txt"),
])
def test_report_names_and_notebooks_cannot_leave_their_directories(tmp_path, notebooks, field, value):
    entry = {"name": "ok", "notebook": "demo.ipynb", field: value}
    config = tmp_path / "reports.yaml"
    config.write_text(yaml.safe_dump({"reports": [entry]}))
    with pytest.raises(UserError):
        load_config(config, notebooks)


def test_a_notebook_symlinked_from_outside_is_refused(tmp_path, notebooks):
    outside = tmp_path / "elsewhere.ipynb"
    write_demo_notebook(outside)
    (notebooks / "sneaky.ipynb").symlink_to(outside)
    config = tmp_path / "reports.yaml"
    config.write_text(yaml.safe_dump({"reports": [{"name": "x", "notebook": "sneaky.ipynb"}]}))
    with pytest.raises(UserError, match="leaves"):
        load_config(config, notebooks)


def test_report_parameters_stay_literal_data(tmp_path, notebooks):
    config = tmp_path / "reports.yaml"
    config.write_text(yaml.safe_dump({"reports": [{"name": "x", "notebook": "demo.ipynb", "parameters": {
        "label": "x\nimport os; os.system('rm -rf /')  # ", "n_bars": {"k": ["../../etc"]}}}]}))
    (spec,) = load_config(config, notebooks)
    # Parameters travel as a YAML file (papermill -f): whatever the text, it comes back as the same string.
    assert yaml.safe_load(yaml.safe_dump(spec.parameters)) == spec.parameters
    config.write_text("reports:\n  - {name: x, notebook: demo.ipynb, parameters: {a: !!python/name:os.system}}\n")
    with pytest.raises(UserError, match="not valid YAML"):
        load_config(config, notebooks)


def test_only_with_a_hostile_report_name_is_a_user_error(project, tmp_path, notebooks):
    config = tmp_path / "reports.yaml"
    config.write_text(yaml.safe_dump({"reports": [{"name": "x", "notebook": "demo.ipynb"}]}))
    with pytest.raises(UserError, match="Unknown report '../x'"):
        run_reports(config, only=["../x"], settings=project, notebooks_dir=notebooks)
    assert not project.reports_dir.exists() or not any(project.reports_dir.iterdir())


# ------------------------------------------------------------------------------------------ marketlib clean


def test_clean_refuses_to_overwrite_its_input_whatever_the_spelling(project, tmp_path, capsys):
    given_file = tmp_path / "mine.csv"
    given_file.write_text("title\nML Engineer\n")
    (tmp_path / "alias.csv").symlink_to(given_file)
    for output in (given_file, tmp_path / "sub" / ".." / "mine.csv", tmp_path / "alias.csv"):
        with pytest.raises(SystemExit) as info:
            cli.main(["clean", str(given_file), "-o", str(output)])
        assert info.value.code == 2 and "is the input file" in capsys.readouterr().err
    assert given_file.read_text() == "title\nML Engineer\n"


def test_clean_into_an_unwritable_place_is_one_sentence(project, tmp_path, capsys):
    given_file = tmp_path / "mine.csv"
    given_file.write_text("title\nML Engineer\n")
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("a file where a directory should be")
    (tmp_path / "already_a_dir.csv").mkdir()
    for output in (blocker / "out.csv", tmp_path / "already_a_dir.csv"):
        with pytest.raises(SystemExit) as info:
            cli.main(["clean", str(given_file), "-o", str(output)])
        err = capsys.readouterr().err
        assert info.value.code == 2 and f"Cannot write {output}" in err and "Traceback" not in err
    assert not list(tmp_path.rglob(".tmp-*"))


def test_a_malformed_command_line_is_one_sentence_not_a_traceback(project, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["clean", "in.csv", "-o", "a\x00b.csv"])
    assert info.value.code == 2


# ------------------------------------------------------------------------------------------ published HTML

SCHEME_TRICKS = ["javascript:alert(1)", " JavaScript:alert(1)", "java&#x09;script:alert(1)",
                 "&#106;avascript:alert(1)", "\x01javascript:alert(1)", "vbscript:msgbox(1)", "VBScript:x",
                 "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "DATA:text/html,x",
                 "file:///etc/passwd", "//evil.example/x"]


def _hostile_notebook(path) -> None:
    """An executed-looking notebook whose outputs carry links taken from (GENERATED) postings."""
    links = "".join(f'<li><a href="{href}">posting {i}</a></li>' for i, href in enumerate(SCHEME_TRICKS))
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show(postings)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": (
        f'<ul>{links}<li><a href="https://jobs.example/1" target="_self" rel="opener">good</a></li>'
        f'<li><a href="http://jobs.example/2">plain http</a></li></ul>'
        '<div onmouseover="alert(1)">hover</div><iframe src="https://evil.example"></iframe>'
        '<script>alert(1)</script><object data="x.swf"></object><base href="https://evil.example/">')})]
    nb.cells = [nbformat.v4.new_markdown_cell("[md link](javascript:alert(1)) and [ok](https://ok.example)"), cell]
    nbformat.write(nb, str(path))


def test_exported_page_drops_script_links_and_marks_web_links(tmp_path):
    from bs4 import BeautifulSoup

    _hostile_notebook(tmp_path / "r.ipynb")
    page = export_html(tmp_path / "r.ipynb", "marketlib: r")
    soup = BeautifulSoup(page, "lxml")
    hrefs = [a.get("href") for a in soup.find_all("a") if a.get("href")]
    assert not [h for h in hrefs if not h.lower().startswith(("https://", "http://", "#"))], hrefs
    for anchor in soup.find_all("a", href=True):
        if anchor["href"].startswith("http"):
            assert " ".join(anchor.get("rel")) == LINK_REL and anchor.get("target") == "_blank"
    assert {"https://jobs.example/1", "http://jobs.example/2", "https://ok.example"} <= set(hrefs)
    assert soup.find(["script", "iframe", "object", "base"]) is None
    assert not any(attr.startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None and meta["content"] == CSP


def test_the_policy_forbids_scripts_plugins_frames_and_remote_loads():
    directives = dict(part.strip().split(" ", 1) for part in CSP.split(";"))
    assert directives["default-src"] == "'none'" and "script-src" not in directives  # javascript: URLs blocked
    assert directives["img-src"] == "data:" and directives["form-action"] == "'none'"
    assert directives["base-uri"] == "'none'"


def test_index_pages_escape_report_errors_and_carry_the_policy(project):
    run_dir = project.reports_dir / "2026-01-01"
    run_dir.mkdir(parents=True)
    spec = ReportSpec("odds", "demo.ipynb", {"metro": "<img src=x onerror=alert(1)>"}, title="<b>Odds</b>")
    run = ReportRun("2026-01-01", run_dir, [
        ReportResult(spec, "failed", 1.0, error='UserError: <script>alert("x")</script>'),
        ReportResult(ReportSpec("ok", "demo.ipynb", {}), "ok", 1.0, html_name="ok.html")])
    index = write_index(run, project)
    for page in (index, run_dir / "index.html"):
        text = page.read_text()
        assert f'content="{CSP}"'.replace("'", "&#x27;") in text
        assert "<script" not in text and "<img" not in text and "&lt;script&gt;" in text


def test_every_link_attribute_and_refresh_is_dropped():
    page = sanitize_html('<html><body><svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'
                         '<map><area href="javascript:alert(1)"></map>'
                         '<meta http-equiv="refresh" content="0;url=https://evil.example"></body></html>')
    assert "javascript:" not in page and "refresh" not in page


def test_output_directories_stay_inside_reports(project, tmp_path, notebooks):
    # A name that passed the checks still lands under reports/<date>/ (safe_join of the resolved paths).
    config = tmp_path / "reports.yaml"
    config.write_text(yaml.safe_dump({"reports": [{"name": "a@b+c.d-e_f", "notebook": "demo.ipynb"}]}))
    (spec,) = load_config(config, notebooks)
    target = safe_join(project.reports_dir / "2026-01-01", f"{spec.name}.html")
    assert project.reports_dir.resolve() in target.parents and os.sep not in spec.name
