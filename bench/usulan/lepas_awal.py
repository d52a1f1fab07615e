# ruff: noqa: F821, B008
# berkas: src/skorasn/core.py
# basis: build_report=ce4dad7ef4a2
# ganti: build_report
def build_report(
    inputs: Sequence[Path],
    rules: Rules,
    selection: Selection = Selection(),
    default_stage: str | None = None,
    on_progress: Progress | None = None,
    command: str = "",
) -> Report:
    read = read_inputs(inputs, rules, default_stage=default_stage, on_progress=on_progress)
    if read.rows.empty:
        raise NothingReadError(_nothing_read(read.problems))
    # Each step below copies the participant table; drop every table as soon as the next one
    # exists, so that a million rows are held at most twice, not four times.
    rows, files = read.rows, read.files
    problems = read.problems
    del read
    decided = apply_rules(rows, rules)
    del rows
    problems = problems + decided.problems
    peserta, shown = select(decided.peserta, problems, selection)
    del decided
    shown_ids = {id(p) for p in shown}
    hidden = [p for p in problems if id(p) not in shown_ids]
    peserta = order_participants(peserta)
    return Report(peserta=peserta, problems=sorted(shown, key=sort_key),
                  ringkasan=summarise(peserta), rules=rules, files=files,
                  selection=selection, command=command,
                  hidden_problems=sorted(hidden, key=sort_key))
