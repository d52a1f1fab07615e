"""The test suite's Windows mode: with SKORASN_TANPA_FCNTL=1, `import fcntl` fails as it does
on Windows, so that skorasn takes the paths it takes there (the lock without fcntl above all).

conftest.py installs it before skorasn is imported, and puts this folder on PYTHONPATH so that
the sitecustomize.py beside this file installs it in every Python the tests start too: a lock
held by a child process must be the same kind of lock as the test's own.
"""

from __future__ import annotations

import importlib.abc
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

VARIABLE = "SKORASN_TANPA_FCNTL"
HIDDEN = frozenset({"fcntl"})


class _Refuse(importlib.abc.MetaPathFinder):
    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> Any:
        if name in HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r} ({VARIABLE}=1)", name=name)
        return None


def active() -> bool:
    return os.environ.get(VARIABLE) == "1"


def install() -> bool:
    """Hide fcntl when the variable asks for it; True when it is hidden."""
    if not active():
        return False
    if not any(type(finder).__name__ == "_Refuse" for finder in sys.meta_path):
        sys.meta_path.insert(0, _Refuse())
    # Modules that already hold fcntl (subprocess, on Linux) keep it; a new import must fail.
    sys.modules.pop("fcntl", None)
    return True
