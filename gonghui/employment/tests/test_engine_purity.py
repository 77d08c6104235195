import subprocess
import sys

MODULES = [
    "gonghui.employment.engine.salary",
    "gonghui.employment.engine.education",
    "gonghui.employment.engine.experience",
    "gonghui.employment.engine.discrimination",
    "gonghui.employment.engine.sanitize",
    "gonghui.employment.engine.ranking",
    "gonghui.employment.engine.recommend",
    "gonghui.employment.evaluation.metrics",
]


def test_engine_imports_no_django():
    # a fresh interpreter: the engine must load and run without Django (pure Python + numpy + rjieba)
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in MODULES)
        + "from gonghui.employment.engine.ranking import JobDoc, JobIndex, SeekerProfile\n"
        + "assert JobIndex([JobDoc(1, '叉车司机')]).search(SeekerProfile('叉车'))[0].id == 1\n"
        + "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        + "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
