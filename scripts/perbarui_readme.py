"""Regenerate the README's command reference from `--help`, so the two never drift apart.

    python scripts/perbarui_readme.py          # rewrite README.md in place
    python scripts/perbarui_readme.py --cek    # exit 1 if README.md is stale

tests/test_readme.py runs the same check.
"""

from __future__ import annotations

import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
START = "<!-- bantuan:mulai -->"
END = "<!-- bantuan:selesai -->"
COMMANDS = (
    (),
    ("tier",),
    ("periksa",),
    ("templat",),
    ("aturan",),
    ("riwayat",),
    ("arsip",),
    ("arsip", "laporan"),
    ("arsip", "ekspor"),
    ("arsip", "verifikasi"),
)
WIDTH = "100"


def help_text(command: tuple[str, ...]) -> str:
    from typer.testing import CliRunner

    from skorasn.cli import app
    from skorasn.cli.i18n import install

    install()
    result = CliRunner().invoke(
        app,
        [*command, "--help"],
        prog_name="skorasn",
        env={"COLUMNS": WIDTH, "NO_COLOR": "1", "TERM": "dumb"},
    )
    if result.exit_code != 0:
        raise SystemExit(f"skorasn {' '.join(command)} --help gagal:\n{result.output}")
    return result.stdout.rstrip()


def reference() -> str:
    parts = []
    for command in COMMANDS:
        title = " ".join(("skorasn", *command))
        parts.append(f"### `{title}`\n\n```text\n{help_text(command)}\n```")
    return "\n\n".join(parts)


def updated(text: str) -> str:
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{reference()}\n{END}{after}"


def main() -> int:
    text = README.read_text(encoding="utf-8")
    fresh = updated(text)
    if "--cek" in sys.argv:
        if fresh != text:
            print(
                "README.md: referensi perintah tidak sama dengan --help; jalankan "
                "python scripts/perbarui_readme.py"
            )
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
