"""The project layout: platform/ is a source folder, never a package shadowing the stdlib."""

import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_platform_folder_has_no_init():
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_import_platform_is_the_standard_library():
    import platform

    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    assert Path(platform.__file__).resolve().parent == stdlib
    assert callable(platform.python_implementation)


def test_import_platform_from_repository_root_in_a_fresh_interpreter():
    # Run from the repository root, where a shadowing package would be found first.
    out = subprocess.run(
        [sys.executable, "-c", "import platform, bianxue; print(platform.__file__); print(bianxue.__file__)"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    assert out[0].startswith(sysconfig.get_paths()["stdlib"])
    assert out[1] == str(ROOT / "platform" / "bianxue" / "__init__.py")
