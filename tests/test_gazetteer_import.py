"""`frontlines gazetteer import`: GeoNames' dump formats, zipped or not, interruption and re-runs,
and the imported places used by the places stage.

The fixtures in tests/fixtures/geonames are rows the team wrote in GeoNames' exact layouts (real
places, approximate coordinates, made-up ids), not GeoNames data.
"""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from frontlines.cli import app
from frontlines.gazetteer import Gazetteer, bundled_index_path, default_gazetteer
from frontlines.gazetteer import geonames
from frontlines.gazetteer.geonames import FileKind, GeoNamesImportError, import_files, import_status
from frontlines.nlp import parse
from frontlines.places import extract_places

FIXTURES = Path(__file__).parent / "fixtures" / "geonames"
runner = CliRunner()


def _zip(tmp_path: Path, name: str, *members: str) -> Path:
    """An archive as GeoNames publishes it: the table, and a readme beside it."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in members:
            archive.write(FIXTURES / member, member)
        archive.write(FIXTURES / "readme.txt", "readme.txt")
    return path


def _rows(db_path: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(db_path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


@pytest.fixture(scope="module")
def bundled() -> Path:
    default_gazetteer()  # builds the bundled index on first use
    return bundled_index_path()


def test_country_file_zipped_keeps_the_features_conflict_reporting_names(tmp_path: Path) -> None:
    into = tmp_path / "import.sqlite"
    (result,) = import_files([_zip(tmp_path, "SY.zip", "SY.txt")], into)
    assert (result.name, result.kind, result.lines_read) == ("SY.zip:SY.txt", FileKind.PLACES, 12)
    kinds = dict(_rows(into, "SELECT name, kind FROM places"))
    assert kinds["Kafr Ḩalab"] == "village"
    assert kinds["Khān al ‘Asal"] == "town"  # 3,200 people
    assert kinds["Al Ḩamdānīyah"] == "neighbourhood"  # PPLX, a quarter of Aleppo
    assert kinds["Maţār an Nayrab al ‘Askarī"] == "military base"
    assert kinds["Nāḩiyat al Atārib"] == "district"
    assert kinds["Tall Ḩaşal"] == "hill"
    assert kinds["Ţarīq Ḩalab Dimashq ad Dawlī"] == "road"
    # The bundled index has the governorates; streams and historical places are not kept.
    assert not {"Muḩāfaz̧at Ḩalab", "Nahr Quwayq", "Qinnasrīn"} & set(kinds)
    assert result.rows_kept == len(kinds) == 9


def test_plain_and_zipped_files_give_the_same_gazetteer(tmp_path: Path) -> None:
    plain, zipped = tmp_path / "plain.sqlite", tmp_path / "zipped.sqlite"
    import_files([FIXTURES / "SY.txt", FIXTURES / "alternateNamesV2.txt"], plain)
    import_files([_zip(tmp_path, "SY.zip", "SY.txt"), _zip(tmp_path, "alternateNamesV2.zip",
                                                            "alternateNamesV2.txt")], zipped)
    query = "SELECT key, place_id FROM names ORDER BY 1, 2"
    assert _rows(plain, query) == _rows(zipped, query)


def test_region_names_come_from_the_admin1_file_whatever_the_order_given(tmp_path: Path) -> None:
    into = tmp_path / "import.sqlite"
    results = import_files([_zip(tmp_path, "cities500.zip", "cities500.txt"),
                            FIXTURES / "admin1CodesASCII.txt", FIXTURES / "admin2Codes.txt"], into)
    assert [r.kind for r in results] == [FileKind.ADMIN_NAMES, FileKind.ADMIN_NAMES, FileKind.PLACES]
    assert _rows(into, "SELECT country, admin1 FROM places WHERE name = 'Nāşir'") == [("SS", "Upper Nile")]
    assert _rows(into, "SELECT count(*) FROM admin_names") == [(4,)]


def test_alternate_names_attach_only_to_imported_places_and_skip_identifiers(tmp_path: Path) -> None:
    into = tmp_path / "import.sqlite"
    import_files([FIXTURES / "SY.txt", FIXTURES / "alternateNamesV2.txt"], into)
    keys = {key for (key,) in _rows(into, "SELECT key FROM names")}
    assert {"enadan", "khan toumane", "hamdaniya"} <= keys
    assert "nowhere in the import" not in keys  # its place is not in the gazetteer
    assert not any("wikipedia" in k for k in keys)  # a link, not a name
    assert "kaa" not in keys  # an airport code


def test_hierarchy_and_status_describe_the_import(tmp_path: Path) -> None:
    into = tmp_path / "import.sqlite"
    import_files([FIXTURES / "SY.txt", FIXTURES / "hierarchy.txt", FIXTURES / "admin1CodesASCII.txt"], into)
    status = import_status(into)
    assert status is not None
    assert status.hierarchy_links == 2
    assert {s["name"] for s in status.sources} == {"SY.txt", "hierarchy.txt", "admin1CodesASCII.txt"}
    assert all(s["complete"] for s in status.sources)
    assert status.places_by_country["SY"]["village"] == 3
    assert import_status(tmp_path / "nothing.sqlite") is None


def test_an_interrupted_import_resumes_and_ends_as_a_clean_one(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geonames, "BATCH_LINES", 3)
    clean = tmp_path / "clean.sqlite"
    import_files([FIXTURES / "SY.txt"], clean)

    interrupted = tmp_path / "interrupted.sqlite"
    seen = 0

    def stop_at_eight(table: geonames.DumpFile, n_bytes: int) -> None:
        nonlocal seen
        seen += 1
        if seen == 8:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_files([FIXTURES / "SY.txt"], interrupted, progress=stop_at_eight)
    assert _rows(interrupted, "SELECT lines_done, complete FROM sources") == [(6, 0)]

    (resumed,) = import_files([FIXTURES / "SY.txt"], interrupted)
    assert (resumed.resumed_at, resumed.lines_read, resumed.rows_kept) == (6, 6, 9)
    for query in ("SELECT * FROM places ORDER BY id", "SELECT * FROM names ORDER BY key, place_id"):
        assert _rows(interrupted, query) == _rows(clean, query)


def test_a_finished_file_is_skipped_and_a_forced_reread_doubles_nothing(tmp_path: Path) -> None:
    into = tmp_path / "import.sqlite"
    import_files([FIXTURES / "SY.txt", FIXTURES / "alternateNamesV2.txt"], into)
    counts = _rows(into, "SELECT (SELECT count(*) FROM places), (SELECT count(*) FROM names)")
    again = import_files([FIXTURES / "SY.txt"], into)
    assert again[0].skipped and again[0].lines_read == 0
    forced = import_files([FIXTURES / "SY.txt", FIXTURES / "alternateNamesV2.txt"], into, force=True)
    assert not forced[0].skipped and forced[0].lines_read == 12
    assert _rows(into, "SELECT (SELECT count(*) FROM places), (SELECT count(*) FROM names)") == counts


def test_a_file_that_is_no_geonames_dump_is_refused_with_its_name(tmp_path: Path) -> None:
    other = tmp_path / "places.csv"
    other.write_text("name,lat,lon\n")
    with pytest.raises(GeoNamesImportError, match="places.csv: not a GeoNames dump"):
        import_files([other], tmp_path / "import.sqlite")
    with pytest.raises(GeoNamesImportError, match="no such file"):
        import_files([tmp_path / "SY.zip"], tmp_path / "import.sqlite")


def test_a_truncated_download_keeps_its_whole_lines(tmp_path: Path) -> None:
    cut = tmp_path / "SY.txt"
    text = (FIXTURES / "SY.txt").read_text(encoding="utf-8")
    cut.write_text(text[: text.index("\n", text.index("\n") + 1) + 40], encoding="utf-8")
    (result,) = import_files([cut], tmp_path / "import.sqlite")
    assert result.rows_kept == 2


def test_imported_villages_are_found_and_bundled_places_keep_their_record(tmp_path: Path,
                                                                          bundled: Path) -> None:
    into = tmp_path / "import.sqlite"
    import_files([FIXTURES / "SY.txt", FIXTURES / "alternateNamesV2.txt"], into,
                 region_names=default_gazetteer().region_names())
    gazetteer = Gazetteer(bundled, into)
    (village,) = gazetteer.candidates("Kafr Halab")
    assert (village.country, village.kind, village.admin1) == ("SY", "village", "Aleppo")
    assert village.id < 0  # imported ids never meet the bundled index's
    assert Gazetteer(bundled).candidates("Kafr Halab") == []


def test_a_place_both_files_hold_is_answered_from_the_bundled_index(tmp_path: Path,
                                                                   bundled: Path) -> None:
    (aleppo,) = [c for c in default_gazetteer().candidates("Aleppo") if c.kind == "city"]
    fixture = tmp_path / "SY.txt"
    row = (FIXTURES / "SY.txt").read_text(encoding="utf-8").splitlines()[0].split("\t")
    row[0], row[1], row[3] = str(aleppo.geonameid), "Halab", "Aleppo,Haleb"
    fixture.write_text("\t".join(row) + "\n", encoding="utf-8")
    into = tmp_path / "import.sqlite"
    import_files([fixture], into)
    both = Gazetteer(bundled, into)
    (city,) = [c for c in both.candidates("Aleppo") if c.geonameid == aleppo.geonameid]
    assert (city.id, city.kind, city.population) == (aleppo.id, "city", aleppo.population)
    (by_new_name,) = [c for c in both.candidates("Haleb") if c.geonameid == aleppo.geonameid]
    assert by_new_name.id == aleppo.id


def test_the_places_stage_resolves_an_imported_village_in_its_country(tmp_path: Path,
                                                                      bundled: Path) -> None:
    into = tmp_path / "import.sqlite"
    import_files([FIXTURES / "SY.txt"], into, region_names=default_gazetteer().region_names())
    doc = parse("Syrian opposition fighters captured the village of Kafr Halab in the western "
                "countryside of Aleppo on Thursday, a war monitor said.")
    places = {p.mention: p for p in extract_places(doc, Gazetteer(bundled, into))}
    village = places["Kafr Halab"]
    assert (village.name, village.country, village.kind, village.located_at) == (
        "Kafr Ḩalab", "SY", "village", None)
    # Without the import the village is only near the town the text ties it to.
    without = {p.mention: p for p in extract_places(doc, Gazetteer(bundled))}
    assert (without["Kafr Halab"].name, without["Kafr Halab"].located_at) == (None, "Aleppo")


def test_cli_import_and_status(tmp_path: Path) -> None:
    into = tmp_path / "import.sqlite"
    shutil.copy(FIXTURES / "SY.txt", tmp_path / "SY.txt")
    result = runner.invoke(app, ["gazetteer", "import", str(tmp_path / "SY.txt"),
                                 str(FIXTURES / "admin1CodesASCII.txt"), "--into", str(into)])
    assert result.exit_code == 0, result.output
    assert "SY.txt (places): 12 lines read; 9 rows kept" in result.output
    again = runner.invoke(app, ["gazetteer", "import", str(tmp_path / "SY.txt"), "--into", str(into)])
    assert "already imported" in again.output
    status = runner.invoke(app, ["gazetteer", "status", "--into", str(into)])
    assert status.exit_code == 0
    assert "SY.txt" in status.output and "village" in status.output
    bad = runner.invoke(app, ["gazetteer", "import", str(FIXTURES / "readme.txt"), "--into", str(into)])
    assert bad.exit_code == 2 and "not a GeoNames dump" in bad.output


def test_a_broken_archive_is_a_clear_error_and_keeps_what_was_read(tmp_path: Path) -> None:
    whole = _zip(tmp_path, "SY.zip", "SY.txt")
    broken = tmp_path / "broken" / "SY.zip"
    broken.parent.mkdir()
    data = whole.read_bytes()
    # The member's compressed bytes damaged in the middle: the central directory still lists it.
    start = data.index(b"SY.txt") + 40
    broken.write_bytes(data[:start] + bytes(200) + data[start + 200:])
    with pytest.raises(GeoNamesImportError, match="SY.zip:SY.txt: the archive is broken"):
        import_files([broken], tmp_path / "import.sqlite")
