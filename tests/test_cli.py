from __future__ import annotations

import re
import subprocess
import sys

from click.testing import CliRunner

import geoparks
from geoparks.cli import cli

LOCATED = re.compile(r"^.+:\d+:\d+: .+ \(got .+, expected .+\)$")


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_validate_the_shipped_catalog():
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "no problems" in result.stdout


def test_validate_prints_one_located_line_per_problem_and_exits_1(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,name,city,kind,area_km2\na,A,Hezhou,zone,-1\na,B,Hezhou,project,x\n")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    *lines, count = result.stderr.splitlines()
    assert len(lines) == 4
    assert all(LOCATED.match(line) for line in lines), lines
    assert count == f"{path}: 4 problems in 2 of 2 records"
    assert lines[0].startswith(f"{path}:2:12: kind: unknown value (got 'zone'")


def test_validate_a_missing_file_exits_1():
    result = run("validate", "no-such-file.csv")
    assert result.exit_code == 1
    assert "no-such-file.csv: no such file" in result.stderr


def test_usage_errors_exit_2():
    assert run("validate", "--no-such-option").exit_code == 2
    assert run("no-such-command").exit_code == 2


def test_summary_prints_a_table_per_province_and_kind():
    result = run("summary")
    assert result.exit_code == 0, result.output
    assert re.search(r"Guangxi\s+cooperation_zone\s+3", result.stdout)
    assert re.search(r"Hainan\s+cooperation_zone\s+1\s+5\.690", result.stdout)
    assert re.search(r"Total\s+\d+", result.stdout)


def test_version():
    result = run("--version")
    assert result.stdout.strip() == f"geoparks, version {geoparks.__version__}"


def test_python_dash_m_runs_the_cli():
    done = subprocess.run(
        [sys.executable, "-m", "geoparks", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "validate" in done.stdout


def test_geocode_one_name():
    result = run("geocode", "Pingxiang Border Industrial Park", "--province", "广西")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Pingxiang (凭祥市, 451481), county in Chongzuo, Guangxi")


def test_geocode_ambiguous_name_exits_1_with_candidates():
    result = run("geocode", "Yulin")
    assert result.exit_code == 1
    assert "玉林市 450900 (Yulin, Guangxi)" in result.stderr
    assert "榆林市 610800 (Yulin, Shaanxi)" in result.stderr


def test_geocode_json_fields():
    import json

    result = run("geocode", "Sihui City", "--json")
    row = json.loads(result.stdout)
    expected = {"status", "level", "adcode", "name_en", "name_zh", "province", "city", "lat",
                "lon", "candidates"}  # fmt: skip
    assert expected <= set(row)
    assert (row["adcode"], row["city"], row["province"]) == ("441284", "Zhaoqing", "Guangdong")


def test_geocode_a_file(tmp_path):
    import csv

    source = tmp_path / "names.csv"
    source.write_text("name,province,city\nYulin,Guangxi,\nYulin,,\n鼎湖区,,\nNowhere Park,,\n"
                      "Pingxiang Border Industrial Park,,Chongzuo\n")  # fmt: skip
    out = tmp_path / "out.csv"
    result = run("geocode", "--input", str(source), "--output", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["status"] for r in rows] == ["ok", "ambiguous", "ok", "not_found", "ok"]
    assert [r["adcode"] for r in rows] == ["450900", "", "441203", "", "451481"]
    assert rows[1]["candidates"].count(";") == 1
    assert rows[2]["province"] == "" and rows[2]["geocode_province"] == "Guangdong"
    assert "5 names (3 ok, 1 ambiguous, 1 not_found)" in result.stderr


def test_geocode_a_file_never_stops_for_a_row(tmp_path):
    import csv

    source = tmp_path / "names.csv"
    source.write_text("name,province,note\nYulin,Jaingxi,a\nHezhou,Guangxi,b\nYulin,Guangxi,c,extra\n"
                      "Lingang Industrial Park,Guangdong,d\n")  # fmt: skip
    out = tmp_path / "out.csv"
    result = run("geocode", "--input", str(source), "--output", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["name"], r["province"], r["note"]) for r in rows] == [
        ("Yulin", "Jaingxi", "a"),
        ("Hezhou", "Guangxi", "b"),
        ("Yulin", "Guangxi", "c"),
        ("Lingang Industrial Park", "Guangdong", "d"),
    ]
    assert [r["status"] for r in rows] == ["bad_hint", "ok", "ok", "partial"]
    assert "did you mean 'Jiangxi'?" in rows[0]["problem"]
    assert rows[2]["problem"].startswith("row has 4 values but the header has 3 columns")
    assert "placed by its province hint only" in rows[3]["problem"]


def test_geocode_file_without_name_column(tmp_path):
    source = tmp_path / "names.csv"
    source.write_text("place\nYulin\n")
    result = run("geocode", "--input", str(source), "--output", str(tmp_path / "o.csv"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{source}:1:1: missing required column 'name'")
    assert not (tmp_path / "o.csv").exists()


def test_geocode_usage():
    assert run("geocode").exit_code == 2
    assert run("geocode", "--input", "x.csv").exit_code == 2


def test_geocode_a_missing_or_empty_file(tmp_path):
    out = str(tmp_path / "o.csv")
    missing = run("geocode", "--input", str(tmp_path / "nope.csv"), "--output", out)
    assert missing.exit_code == 1
    assert "nope.csv: no such file" in missing.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    result = run("geocode", "--input", str(empty), "--output", out)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{empty}:1:1: file is empty")


def test_every_command_has_help_with_an_example():
    assert "Examples:" in run("--help").stdout
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert re.search(r"^ +Examples?:\n +geoparks " + name, result.stdout, re.M), name
        assert "--quiet" in result.stdout and "--verbose" in result.stdout, name
        assert command.help.splitlines()[0].endswith("."), name


def test_quiet_prints_nothing_but_errors(tmp_path):
    assert run("validate", "-q").stdout == ""
    result = run("-q", "export", "--format", "csv", "--out", str(tmp_path))
    assert result.exit_code == 0 and result.output == ""
    assert (tmp_path / "parks.csv").exists()
    assert run("validate", "-q", "no-such-file.csv").stderr != ""
    names = tmp_path / "names.csv"
    names.write_text("name\nHezhou\n")
    result = run("-q", "geocode", "--input", str(names), "--output", str(tmp_path / "out.csv"))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_verbose_says_what_is_written(tmp_path):
    result = run("export", "-v", "--layer", "regions", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert f"wrote {tmp_path / 'regions.geojson'}\n" in result.stderr
    assert f"wrote {tmp_path / 'rejected.csv'}\n" in result.stderr
    assert ".geoparks-staging" not in result.stderr


def test_an_unwritable_output_is_a_data_problem_not_a_traceback(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    result = run("export", "--out", str(blocked / "below"))
    assert result.exit_code == 1
    assert "below" in result.stderr and "Traceback" not in result.output


def test_geocode_one_name_placed_by_its_hint_only_says_so_and_exits_1():
    result = run("geocode", "Lingang Industrial Park", "--city", "Zhaoqing")
    assert result.exit_code == 1
    assert result.stdout.startswith("Zhaoqing (肇庆市, 441200), city in Zhaoqing, Guangdong")
    said = "partial: 'Lingang Industrial Park': the name names no place; placed by its city hint"
    assert said in result.stderr


def test_validate_checks_placing_and_the_join_unless_schema_only(tmp_path):
    path = tmp_path / "parks.csv"
    path.write_text(
        "id,name,province,lat,lon\na,A,Guangxi,23.13,113.26\nb,B,Guangdong,23.1,113.3\n"
    )
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "states province Guangxi (450000)" in result.stderr
    assert result.stderr.splitlines()[-1] == f"{path}: 1 problem in 1 of 2 records"
    result = run("validate", str(path), "--schema-only")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{path}: 2 records, no problems"
    assert run("validate", str(path), "--tolerance-km", "170").exit_code == 0  # 165.4 km away


def test_geocode_output_keeps_any_input_column(tmp_path):
    import pandas as pd

    source = tmp_path / "names.csv"
    source.write_text('name,code,tags\nYulin,7,"a,b"\n贺州,x1,\n')
    out = tmp_path / "out.csv"
    assert run("geocode", "--input", str(source), "--output", str(out)).exit_code == 0
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert back[["name", "code", "tags"]].values.tolist() == [
        ["Yulin", "7", "a,b"],
        ["贺州", "x1", ""],
    ]
    assert back["candidates"][0] == "玉林市 450900 (Yulin, Guangxi); 榆林市 610800 (Yulin, Shaanxi)"


def test_geocode_output_does_not_hand_spreadsheets_formulas(tmp_path):
    import csv

    source = tmp_path / "names.csv"
    source.write_text('name,note,lon\n"=HYPERLINK(""http://x"",""Yulin"")",@SUM(A1),-12.5\n'
                      "Hezhou,+cmd,3\n")  # fmt: skip
    out = tmp_path / "out.csv"
    assert run("geocode", "--input", str(source), "--output", str(out)).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["name"] for r in rows] == ['\'=HYPERLINK("http://x","Yulin")', "Hezhou"]
    assert [r["note"] for r in rows] == ["'@SUM(A1)", "'+cmd"]
    assert rows[0]["lon"] == "-12.5" and rows[1]["status"] == "ok"
    assert run("geocode", "--input", str(source), "--output", str(out), "--raw").exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["note"] for r in rows] == ["@SUM(A1)", "+cmd"]


def test_formulas_are_defused_in_columns_of_mixed_cells():
    import pandas as pd

    from geoparks.output import defuse_formulas

    frame = pd.DataFrame(
        {
            "mixed": [["=a"], 3, "-1.5e3", "=x", None, "\tx", "plain"],
            "text": ["@a", None, "b", "-c", "+1", "=", "ok"],
            "number": [1.0, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
        }
    )
    done = defuse_formulas(frame)
    assert done["mixed"].tolist() == [["=a"], 3, "-1.5e3", "'=x", None, "'\tx", "plain"]
    assert done["text"].fillna("").tolist() == ["'@a", "", "b", "'-c", "+1", "'=", "ok"]
    assert done["number"].tolist() == frame["number"].tolist()
    assert frame["text"][0] == "@a"  # the input is left as it was


def test_a_column_named_like_a_computed_one_is_reported_and_kept(tmp_path):
    import json

    source = tmp_path / "parks.csv"
    source.write_text("name,city,placement,source_title,linked_regions\n"
                      "Hezhou Park,Hezhou,north gate,My survey,gba\n")  # fmt: skip
    result = run("validate", str(source))
    assert result.exit_code == 1
    assert (f"{source}:1:3: column 'placement' is a name geoparks computes: kept as "
            "'original_placement'") in result.output  # fmt: skip
    assert f"{source}:1:4: column 'source_title'" in result.output
    assert f"{source}:1:5: column 'linked_regions'" in result.output
    strict = run("build", "--catalog", str(source), "--strict", "--out", str(tmp_path / "s"))
    assert strict.exit_code == 1 and "original_placement" in strict.output
    out = tmp_path / "out"
    assert run("export", "--catalog", str(source), "--out", str(out)).exit_code == 0
    park = json.loads((out / "parks.geojson").read_text())["features"][0]["properties"]
    assert park["original_placement"] == "north gate" and park["placement"] == "inside"
    assert park["original_source_title"] == "My survey"
    assert park["original_linked_regions"] == "gba" and park["linked_regions"] == []


def test_an_unforeseen_fault_is_one_line_and_the_traceback_only_with_vv(monkeypatch, capsys):
    import pytest

    import geoparks.cli
    import geoparks.geocoding

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(geoparks.geocoding, "geocode", broken)
    monkeypatch.setattr(sys, "argv", ["geoparks", "geocode", "Yulin"])
    with pytest.raises(SystemExit) as done:
        geoparks.cli.main()
    assert done.value.code == 1
    err = capsys.readouterr().err
    assert err == ("geoparks: internal error: RuntimeError: boom (run again with -vv for the "
                   "traceback, and please report it)\n")  # fmt: skip
    monkeypatch.setattr(sys, "argv", ["geoparks", "geocode", "-vv", "Yulin"])
    with pytest.raises(RuntimeError, match="boom"):
        geoparks.cli.main()
