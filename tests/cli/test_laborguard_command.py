"""`laborguard`: one command; every subcommand answers --help, and a bad argument, file or
setting gets one line naming it and exit status 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from laborguard_platform.cli import SUBCOMMANDS, main

pytestmark = pytest.mark.unit

LABORGUARD = str(Path(sys.executable).parent / "laborguard")


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_every_subcommand_answers_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([name, "--help"]) == 0
    assert f"usage: laborguard {name}" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_every_subcommand_refuses_an_unknown_option_in_one_line(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([name, "--no-such-option"]) == 2
    assert f"laborguard {name}: error: " in capsys.readouterr().err


def test_lists_subcommands_and_exit_codes_and_refuses_unknown_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--help"]) == 0
    listed = capsys.readouterr().out
    assert all(f"  {name}" in listed for name in SUBCOMMANDS)
    assert "2 bad usage or input" in listed
    assert main(["scren"]) == 2
    assert "laborguard: error: unknown subcommand 'scren'" in capsys.readouterr().err
    assert main([]) == 2


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["screen", "{missing}"], "cannot open"),
        (["screen", "{sample}", "--orders", "{missing}"], "cannot open"),
        (["screen", "{sample}", "--out", "{file}/under-a-file.jsonl"], "cannot write"),
        (["screen", "{sample}", "--threshold", "150"], "150 is outside 0-100"),
        (["screen", "{sample}", "--threshold", "-5"], "-5 is outside 0-100"),
        (["screen", "{sample}", "--as-of", "2024-01-01Z"], "is not a date-time: use ISO 8601"),
        (["screen", "{sample}", "--as-of", "2024-01-01T00:00:00"], "needs a time zone"),
        (["report", "{missing}"], "No such file"),
        (["whatif", "{missing}"], "No such file"),
        (["whatif", "{sample}", "--candidate", "{missing}"], "No such file"),
        (["replay", "{missing}", "--as-fast-as-possible"], "No such file"),
        (["generate", "--count", "many"], "invalid int value"),
        (["stack", "--workers", "99"], "workers: Input should be less than or equal to 8"),
        (["send-shipment", "--hts", "12"], "--hts"),
        (["decision", "X", "--wait", "soon"], "--wait"),
    ],
)
def test_a_bad_argument_or_file_is_one_line_and_exit_2(
    argv: list[str], said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("")
    sample = tmp_path / "one.jsonl"
    sample.write_text("")
    names = {"missing": tmp_path / "missing.jsonl", "sample": sample, "file": a_file}
    filled = [part.format(**names) for part in argv]
    assert main(filled) == 2
    error = capsys.readouterr().err
    assert f"laborguard {argv[0]}: error: " in error and said in error


def test_a_bad_setting_in_the_environment_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LABORGUARD_STACK_WORKERS", "several")
    assert main(["stack", "--no-replay"]) == 2
    assert "invalid settings (StackSettings): workers:" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["screen", "/nonexistent/shipments.jsonl"],
        ["screen", "-", "--threshold", "x"],
        ["registry", "--seed", "extra"],
        ["screener", "--bogus"],
        ["frobnicate"],
    ],
)
def test_the_installed_command_prints_no_traceback(argv: list[str]) -> None:
    done = subprocess.run(
        [LABORGUARD, *argv], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert "error: " in done.stderr


def test_no_console_script_shadows_gnu_screen() -> None:
    assert not (Path(sys.executable).parent / "screen").exists()
